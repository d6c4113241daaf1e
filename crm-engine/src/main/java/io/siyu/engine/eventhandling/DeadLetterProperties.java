package io.siyu.engine.eventhandling;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxSequences    sequences (members, rewards) a processing group's dead-letter queue holds before the
 *                        processor stops on the next poison event instead (retried, never skipped)
 * @param maxSequenceSize events one sequence holds behind its first dead letter
 * @param claimDuration   how long a retry holds a sequence before another node may take it
 */
@ConfigurationProperties(prefix = "siyu.dead-letters")
public record DeadLetterProperties(@DefaultValue("10000") int maxSequences,
                                   @DefaultValue("100000") int maxSequenceSize,
                                   @DefaultValue("30s") Duration claimDuration) {
}
