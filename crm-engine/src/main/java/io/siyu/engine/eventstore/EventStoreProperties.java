package io.siyu.engine.eventstore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batchSize         positions read per processor fetch, and events per aggregate load round trip
 * @param gapTimeout        how long a reserved but unwritten position is waited for (monotonic time) before a reader
 *                          gives it up by writing a tombstone into it; its writer's late commit is then refused and
 *                          retried at a new position
 * @param snapshotThreshold events after which a member aggregate is snapshotted
 * @param writeConcern      write concern for events on a real MongoDB: {@code majority} (journaled) or {@code acknowledged}
 */
@ConfigurationProperties(prefix = "siyu.eventstore")
public record EventStoreProperties(@DefaultValue("500") int batchSize,
                                   @DefaultValue("60s") Duration gapTimeout,
                                   @DefaultValue("50") int snapshotThreshold,
                                   @DefaultValue("majority") String writeConcern) {
}
