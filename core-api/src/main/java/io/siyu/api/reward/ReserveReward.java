package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reserve one coupon of a reward for a member's redemption whose points the member holds
 * ({@link RewardRedemptionHeld}); refused when the stock is used up. The member pays next ({@link RedeemReward});
 * if it does not, the coupon goes back to the stock ({@link ReleaseRewardStock}). {@code (memberId, redemptionId)}
 * is the idempotency key, kept in the reservation's commit.
 *
 * @param rewardId     the reward
 * @param memberId     the member
 * @param redemptionId the member's redemption id
 * @param couponCode   the code the coupon will carry
 */
public record ReserveReward(@TargetAggregateIdentifier String rewardId, String memberId, String redemptionId,
                            String couponCode) {
}
