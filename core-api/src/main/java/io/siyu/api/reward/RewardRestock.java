package io.siyu.api.reward;

/**
 * The answer to {@link RestockReward}.
 *
 * @param stock     coupons available after it
 * @param duplicate {@code true} when this restock id was used before (same quantity) and nothing was written now
 */
public record RewardRestock(long stock, boolean duplicate) {
}
