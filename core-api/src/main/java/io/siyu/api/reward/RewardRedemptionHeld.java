package io.siyu.api.reward;

/**
 * A member asked for a coupon and had the points and the room under the reward's per-member limit: the points are
 * held (not available to other redemptions) until the redemption is paid ({@link RewardRedeemed}) or ends unpaid
 * ({@link RewardRedemptionAbandoned}); a unit of stock is reserved next ({@link RewardStockReserved}).
 *
 * @param memberId       the member
 * @param redemptionId   the redemption id
 * @param rewardId       the reward
 * @param rewardName     its name
 * @param points         points held
 * @param perMemberLimit most coupons of this reward per member
 * @param couponCode     the code the coupon will carry
 */
public record RewardRedemptionHeld(String memberId, String redemptionId, String rewardId, String rewardName,
                                   long points, int perMemberLimit, String couponCode) {

    /** @return the redemption's key across members ({@code memberId/redemptionId}), which a process follows */
    public String claimId() {
        return memberId + "/" + redemptionId;
    }
}
