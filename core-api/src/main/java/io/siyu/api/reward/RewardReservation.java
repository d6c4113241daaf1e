package io.siyu.api.reward;

/**
 * The answer to {@link ReserveReward}.
 *
 * @param couponCode the coupon's code
 * @param released   {@code true} when this redemption had been reserved before and then released
 * @param reason     why it was released, or {@code null}
 * @param duplicate  {@code true} when this redemption had been reserved before and nothing was written now
 */
public record RewardReservation(String couponCode, boolean released, String reason, boolean duplicate) {
}
