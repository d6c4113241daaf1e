package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Give a reserved coupon back to the stock because the member's side refused the redemption.
 *
 * @param rewardId     the reward
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param reason       why, as the member's side said it
 */
public record ReleaseRewardStock(@TargetAggregateIdentifier String rewardId, String memberId, String redemptionId,
                                 String reason) {
}
