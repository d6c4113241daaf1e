package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reserve one coupon of a reward for a member's redemption: the first step of a reward redemption. The points are
 * taken from the member in a second step (see {@link RedeemReward}); if that is refused, the coupon goes back to the
 * stock. {@code (memberId, redemptionId)} is the idempotency key.
 *
 * @param rewardId     the reward
 * @param memberId     the member
 * @param redemptionId the member's redemption id
 * @param couponCode   the code the coupon will carry
 */
public record ReserveReward(@TargetAggregateIdentifier String rewardId, String memberId, String redemptionId,
                            String couponCode) {
}
