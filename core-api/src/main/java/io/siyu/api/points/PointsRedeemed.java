package io.siyu.api.points;

/**
 * A member spent points.
 *
 * @param memberId     the member
 * @param redemptionId the redemption's id
 * @param points       points spent (positive)
 * @param reason       what they were spent on
 * @param balanceAfter the balance after this event
 */
public record PointsRedeemed(String memberId,
                             String redemptionId,
                             long points,
                             String reason,
                             long balanceAfter) {
}
