package io.siyu.api.reward;

import java.time.Instant;

/**
 * The answer to {@link ReserveReward}.
 *
 * @param couponCode the coupon's code
 * @param validUntil until when the coupon can be used
 * @param released   {@code true} when this redemption had been reserved before and its unit has gone back
 * @param duplicate  {@code true} when this redemption had been reserved before and nothing was written now
 */
public record RewardReservation(String couponCode, Instant validUntil, boolean released, boolean duplicate) {
}
