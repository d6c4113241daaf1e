package io.siyu.api.reward;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Pay for a held redemption whose unit is reserved: the held points are taken from the member and the coupon given,
 * in one commit on the member's stream. Answered with a {@link RewardPayment}: if the redemption already ended
 * unpaid, or the points fell short meanwhile (lots expired, a refund reversed points), it is not paid and the
 * redemption ends unpaid in this commit.
 *
 * @param memberId       the member
 * @param redemptionId   the redemption id (idempotency key)
 * @param rewardId       the reward
 * @param rewardName     its name
 * @param points         the coupon's cost
 * @param couponCode     the coupon's code
 * @param validUntil     until when it can be used
 */
public record RedeemReward(@TargetAggregateIdentifier String memberId, String redemptionId, String rewardId,
                           String rewardName, long points, String couponCode,
                           Instant validUntil) {
}
