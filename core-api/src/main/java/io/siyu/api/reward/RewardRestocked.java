package io.siyu.api.reward;

import io.siyu.api.KeyedFact;

/**
 * Coupons were added to a reward's stock.
 *
 * @param rewardId   the reward
 * @param restockId  the restock's id
 * @param quantity   coupons added
 * @param stockAfter coupons available afterwards
 */
public record RewardRestocked(String rewardId, String restockId, long quantity, long stockAfter) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "restock:" + restockId;
    }
}
