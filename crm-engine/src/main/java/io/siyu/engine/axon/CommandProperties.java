package io.siyu.engine.axon;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param threads       threads that run command handlers (they block on the event store)
 * @param queueCapacity commands that may wait for a thread before new ones are refused with 503
 * @param timeout       how long the HTTP edge waits for a command's answer
 */
@ConfigurationProperties(prefix = "siyu.commands")
public record CommandProperties(@DefaultValue("16") int threads,
                                @DefaultValue("2000") int queueCapacity,
                                @DefaultValue("10s") Duration timeout) {
}
