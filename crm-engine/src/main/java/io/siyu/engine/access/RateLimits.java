package io.siyu.engine.access;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Abuse limits (Bucket4j token buckets on the engine's clock, so tests move time instead of sleeping): requests per
 * staff or integration credential, sign-ins per client address, check-ins, redemptions and member codes per member,
 * each per minute
 * ({@code siyu.access.rate-limits.*}). Over a limit the request is refused with 429 {@code rate-limited} and a
 * {@code Retry-After}, before anything is written. Buckets are per node and the least recently used are forgotten past
 * 100,000 keys.
 */
public final class RateLimits {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(10, TimeUnit.MINUTES).build();
    private final AccessProperties.RateLimits limits;
    private final TimeMeter time;

    public RateLimits(AccessProperties.RateLimits limits, Clock clock) {
        this.limits = limits;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                java.time.Instant now = clock.instant();
                return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    public void login(String clientAddress) {
        take("login:" + clientAddress, limits.loginsPerMinute(), "sign-ins from this address");
    }

    public void checkIn(String memberId) {
        take("check-in:" + memberId, limits.checkInsPerMinute(), "check-ins for this member");
    }

    public void redemption(String memberId) {
        take("redemption:" + memberId, limits.redemptionsPerMinute(), "redemptions for this member");
    }

    /** Every request of one staff or integration credential. */
    public void credential(String credentialId) {
        take("credential:" + credentialId, limits.requestsPerCredentialPerMinute(), "requests with this credential");
    }

    public void memberCode(String memberId) {
        take("member-code:" + memberId, limits.memberCodesPerMinute(), "member codes for this member");
    }

    private void take(String key, int perMinute, String what) {
        Bucket bucket = buckets.get(key, any -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw AccessRefused.tooMany(what, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }
}
