package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * End a reward redemption that will not be paid, unless it already was: the reward refused a unit, or the
 * redemption's deadline passed. The member's side says whether it was paid; if not, it is abandoned for good with
 * {@code reason} (a later payment attempt is refused) and the points it held are free. Answers {@code true} if the
 * member paid.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param reason       why it ends, as a problem type, a colon and words
 */
public record SettleRewardRedemption(@TargetAggregateIdentifier String memberId, String redemptionId,
                                     String rewardId, String reason) {
}
