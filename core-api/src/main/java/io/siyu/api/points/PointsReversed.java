package io.siyu.api.points;

import java.util.List;

/**
 * Points earned by an order were taken back because the order was refunded.
 * <p>
 * The reversal takes what is left of the order's own lot first, then other lots, oldest expiry first. When the
 * balance cannot cover it, the rest becomes a points debt ({@code debtIncurred}): the balance never goes negative,
 * and the member's next earnings pay the debt off before anything reaches the balance.
 *
 * @param memberId     the member
 * @param orderId      the order whose points are reversed
 * @param refundId     the refund that caused the reversal
 * @param points       points taken from the balance (zero or positive)
 * @param lots         the lots they were taken from
 * @param debtIncurred points that should have been reversed but were no longer in the balance, now owed
 * @param balanceAfter the balance after this event
 */
public record PointsReversed(String memberId,
                             String orderId,
                             String refundId,
                             long points,
                             List<LotTaken> lots,
                             long debtIncurred,
                             long balanceAfter) {

    public PointsReversed {
        lots = lots == null ? List.of() : List.copyOf(lots);
    }
}
