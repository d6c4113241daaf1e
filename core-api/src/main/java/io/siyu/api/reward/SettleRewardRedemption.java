package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A reserved coupon's deadline passed: the member's side says whether the redemption was paid; if it was not, it is
 * abandoned for good (a late payment attempt is then refused) so that the coupon can go back to the stock. Answers
 * {@code true} if the member paid.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward whose coupon was reserved
 */
public record SettleRewardRedemption(@TargetAggregateIdentifier String memberId, String redemptionId,
                                     String rewardId) {
}
