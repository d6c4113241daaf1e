package io.siyu.api.points;

/**
 * Points earned by an order were taken back because the order was refunded.
 * <p>
 * When the member has already spent the points, only what the balance holds is taken ({@code points}); the rest is
 * recorded as {@code unrecovered} so that the shortfall is on record instead of a negative balance.
 *
 * @param memberId     the member
 * @param orderId      the order whose points are reversed
 * @param refundId     the refund that caused the reversal
 * @param points       points taken from the balance (zero or positive)
 * @param unrecovered  points that should have been reversed but were no longer in the balance
 * @param balanceAfter the balance after this event
 */
public record PointsReversed(String memberId,
                             String orderId,
                             String refundId,
                             long points,
                             long unrecovered,
                             long balanceAfter) {
}
