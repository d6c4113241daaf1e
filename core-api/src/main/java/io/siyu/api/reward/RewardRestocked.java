package io.siyu.api.reward;

/**
 * Coupons were added to a reward's stock.
 *
 * @param rewardId   the reward
 * @param restockId  the restock's id
 * @param quantity   coupons added
 * @param stockAfter coupons available afterwards
 */
public record RewardRestocked(String rewardId, String restockId, long quantity, long stockAfter) {
}
