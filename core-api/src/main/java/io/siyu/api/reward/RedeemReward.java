package io.siyu.api.reward;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Take a reserved coupon's points from the member and give them the coupon, in one commit on the member's stream.
 * Refused when the balance is short or the member already holds {@code perMemberLimit} coupons of the reward.
 *
 * @param memberId       the member
 * @param redemptionId   the redemption id (idempotency key)
 * @param rewardId       the reward
 * @param rewardName     its name
 * @param points         the coupon's cost
 * @param perMemberLimit most coupons of this reward per member
 * @param couponCode     the coupon's code
 * @param validUntil     until when it can be used
 */
public record RedeemReward(@TargetAggregateIdentifier String memberId, String redemptionId, String rewardId,
                           String rewardName, long points, int perMemberLimit, String couponCode,
                           Instant validUntil) {
}
