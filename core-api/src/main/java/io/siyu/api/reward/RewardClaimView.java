package io.siyu.api.reward;

import java.time.Instant;

/**
 * A reward redemption as the read side holds it.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param status       {@code held} (the member's points held, no unit yet), {@code reserved} (a unit reserved, not
 *                     yet paid), {@code redeemed} (paid, coupon issued) or {@code released} (ended unpaid; nothing
 *                     paid, no unit kept)
 * @param points       the points it costs
 * @param couponCode   the coupon's code (shown once redeemed)
 * @param validUntil   until when the coupon can be used
 * @param reason       why it was released, or {@code null}
 * @param memberVersion the member stream's version once the redemption ended ({@code null} before): a reader of the
 *                     member's points waits for it to see the payment
 */
public record RewardClaimView(String memberId, String redemptionId, String rewardId, String status, long points,
                              String couponCode, Instant validUntil, String reason,
                              Long memberVersion) {
}
