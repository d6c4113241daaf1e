package io.siyu.wecom.work;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the bridge works through what it owes: callback translations and outbox sends ({@code siyu.wecom.work.*}).
 *
 * @param maxAttempts  attempts after which an entry is given up (dead, with its last error, until an operator retries)
 * @param maxAge       time since an entry was first queued after which a failing entry is given up
 * @param longestPause the longest pause between two attempts (pauses double from one second up to it)
 * @param lease        how long a node holds an entry it is working on; a node that dies frees it when this runs out
 * @param pollInterval how often every node looks for entries that are due and not held (work queued on another node,
 *                     by a node that stopped, or waiting for a retry)
 */
@ConfigurationProperties(prefix = "siyu.wecom.work")
public record WorkProperties(@DefaultValue("30") int maxAttempts,
                             @DefaultValue("24h") Duration maxAge,
                             @DefaultValue("5m") Duration longestPause,
                             @DefaultValue("30s") Duration lease,
                             @DefaultValue("5s") Duration pollInterval) {

    public WorkProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("siyu.wecom.work.max-attempts must be at least 1");
        }
        if (lease.isNegative() || lease.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("siyu.wecom.work.lease and .poll-interval must be positive");
        }
    }

    /** Defaults, for code that builds the bridge's parts by hand (tests). */
    public static WorkProperties defaults() {
        return new WorkProperties(30, Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }
}
