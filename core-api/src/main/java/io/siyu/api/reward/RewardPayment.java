package io.siyu.api.reward;

/**
 * The answer to {@link RedeemReward}.
 *
 * @param paid      {@code true} when the member paid and holds the coupon (now or before)
 * @param reason    why it was not paid (the redemption ended unpaid), or {@code null}
 * @param duplicate {@code true} when the outcome was recorded before and nothing was written now
 */
public record RewardPayment(boolean paid, String reason, boolean duplicate) {
}
