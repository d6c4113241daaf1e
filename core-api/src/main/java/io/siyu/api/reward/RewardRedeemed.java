package io.siyu.api.reward;

import java.time.Instant;

/**
 * A member received a coupon. Recorded in the same commit as the {@code PointsRedeemed} that paid for it.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param couponCode   the coupon's code
 * @param validUntil   until when it can be used
 */
public record RewardRedeemed(String memberId, String redemptionId, String rewardId, String couponCode,
                             Instant validUntil) {

    /** @return the redemption's key across members ({@code memberId/redemptionId}), which a process follows */
    public String claimId() {
        return memberId + "/" + redemptionId;
    }
}
