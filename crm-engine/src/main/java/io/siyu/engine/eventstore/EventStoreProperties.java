package io.siyu.engine.eventstore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batchSize         positions read per processor fetch, and events per aggregate load round trip
 * @param gapTimeout        how long a reserved but unwritten position is waited for before processors move on
 * @param writerDeadline    a writer whose reservation is older than this when it is about to insert gives its
 *                          positions up (tombstone) and fails instead; must stay well below {@code gapTimeout}, so
 *                          that no acknowledged commit can land in a gap readers have already given up on
 * @param maxGapOffset      how far behind its index a processor keeps gaps at all
 * @param snapshotThreshold events after which a member aggregate is snapshotted
 * @param writeConcern      write concern for events on a real MongoDB: {@code majority} (journaled) or {@code acknowledged}
 */
@ConfigurationProperties(prefix = "siyu.eventstore")
public record EventStoreProperties(@DefaultValue("500") int batchSize,
                                   @DefaultValue("60s") Duration gapTimeout,
                                   @DefaultValue("10s") Duration writerDeadline,
                                   @DefaultValue("10000") int maxGapOffset,
                                   @DefaultValue("50") int snapshotThreshold,
                                   @DefaultValue("majority") String writeConcern) {

    public EventStoreProperties {
        if (writerDeadline.multipliedBy(2).compareTo(gapTimeout) > 0) {
            throw new IllegalArgumentException("siyu.eventstore.writer-deadline (" + writerDeadline
                    + ") must be at most half of siyu.eventstore.gap-timeout (" + gapTimeout + ")");
        }
    }
}
