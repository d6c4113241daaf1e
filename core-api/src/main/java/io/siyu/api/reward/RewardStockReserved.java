package io.siyu.api.reward;

import io.siyu.api.KeyedFact;

import java.time.Instant;

/**
 * One coupon of a reward is held for a member's redemption, at the reward's terms at that moment.
 *
 * @param rewardId       the reward
 * @param rewardName     its name
 * @param memberId       the member
 * @param redemptionId   the member's redemption id
 * @param pointsCost     points the coupon costs
 * @param perMemberLimit most coupons of this reward per member
 * @param couponCode     the coupon's code
 * @param validUntil     until when the coupon can be used
 * @param stockAfter     coupons left
 */
public record RewardStockReserved(String rewardId, String rewardName, String memberId, String redemptionId,
                                  long pointsCost, int perMemberLimit, String couponCode, Instant validUntil,
                                  long stockAfter) implements KeyedFact {

    /** @return the redemption's key across members ({@code memberId/redemptionId}), which a process follows */
    public String claimId() {
        return memberId + "/" + redemptionId;
    }

    @Override
    public String idempotencyKey() {
        return "claim:" + claimId();
    }
}
