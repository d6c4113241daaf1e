package io.siyu.api.reward;

import io.siyu.api.KeyedFact;

/**
 * A reserved coupon went back to the stock; the redemption failed and the member paid nothing.
 *
 * @param rewardId     the reward
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param reason       why
 * @param stockAfter   coupons available afterwards
 */
public record RewardStockReleased(String rewardId, String memberId, String redemptionId, String reason,
                                  long stockAfter) implements KeyedFact {

    /** @return the redemption's key across members ({@code memberId/redemptionId}), which a process follows */
    public String claimId() {
        return memberId + "/" + redemptionId;
    }

    @Override
    public String idempotencyKey() {
        return "release:" + claimId();
    }
}
