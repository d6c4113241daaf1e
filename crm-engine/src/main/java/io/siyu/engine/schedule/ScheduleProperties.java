package io.siyu.engine.schedule;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pollInterval   how often due work is looked for (the most it runs late)
 * @param commandTimeout how long one piece of due work may take before it is retried
 * @param bucketSize     items filed per {@code due_buckets} document (bounds a document at ~100 bytes per item)
 * @param maxInFlight    due commands sent at once
 * @param reservationTimeout how long a reserved coupon waits for its payment before it goes back to the stock
 */
@ConfigurationProperties(prefix = "siyu.schedule")
public record ScheduleProperties(@DefaultValue("5s") Duration pollInterval,
                                 @DefaultValue("30s") Duration commandTimeout,
                                 @DefaultValue("1000") int bucketSize,
                                 @DefaultValue("64") int maxInFlight,
                                 @DefaultValue("10m") Duration reservationTimeout) {
}
