package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The first step of a reward redemption, on the member: the member checks what only it knows (its points available
 * now, the coupons of this reward it holds or is redeeming against {@code perMemberLimit}) and holds the points, so a
 * request that cannot succeed never holds a unit of the reward's stock. Answered with a {@link RewardHold}; refused
 * (insufficient points, limit reached, too many redemptions pending) with nothing written. {@code redemptionId} is
 * the idempotency key. The reward's terms are immutable once defined, so they may come from the catalogue.
 *
 * @param memberId       the member
 * @param redemptionId   the member's redemption id
 * @param rewardId       the reward
 * @param rewardName     its name
 * @param points         points the coupon costs
 * @param perMemberLimit most coupons of this reward per member
 * @param couponCode     the code the coupon will carry
 */
public record HoldRewardRedemption(@TargetAggregateIdentifier String memberId, String redemptionId, String rewardId,
                                   String rewardName, long points, int perMemberLimit, String couponCode) {
}
