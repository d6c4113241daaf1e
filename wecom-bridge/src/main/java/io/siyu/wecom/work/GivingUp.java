package io.siyu.wecom.work;

import java.time.Duration;
import java.time.Instant;

/**
 * The one giving-up policy for everything the bridge retries (callback translation and outbox sends): after a failed
 * attempt the entry waits {@link #pause(int)} — one second, doubling, at most {@link WorkProperties#longestPause()} —
 * unless it has had {@link WorkProperties#maxAttempts()} attempts or was first queued longer than
 * {@link WorkProperties#maxAge()} ago; then it is given up: dead, with its last error, until an operator retries it.
 */
public record GivingUp(WorkProperties properties) {

    /** @return whether an entry first queued at {@code queuedAt} that has now failed {@code attempts} times is dead */
    public boolean givesUp(int attempts, Instant queuedAt, Instant now) {
        return attempts >= properties.maxAttempts()
                || queuedAt != null && Duration.between(queuedAt, now).compareTo(properties.maxAge()) > 0;
    }

    /** @return the pause before the attempt after {@code attempts} failed ones */
    public Duration pause(int attempts) {
        Duration longest = properties.longestPause();
        if (attempts <= 1) {
            return longest.compareTo(Duration.ofSeconds(1)) < 0 ? longest : Duration.ofSeconds(1);
        }
        long seconds = attempts > 40 ? Long.MAX_VALUE : 1L << Math.min(attempts - 1, 40);
        return seconds >= longest.toSeconds() ? longest : Duration.ofSeconds(seconds);
    }
}
