package io.siyu.api.reward;

import java.time.Instant;

/**
 * A reward redemption as the read side holds it.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param status       {@code reserved} (points not yet taken), {@code redeemed} (coupon issued) or
 *                     {@code released} (refused; nothing paid)
 * @param points       the points it costs
 * @param couponCode   the coupon's code (shown once redeemed)
 * @param validUntil   until when the coupon can be used
 * @param reason       why it was released, or {@code null}
 */
public record RewardClaimView(String memberId, String redemptionId, String rewardId, String status, long points,
                              String couponCode, Instant validUntil, String reason) {
}
