package io.siyu.engine.points;

import java.math.BigInteger;

/**
 * How many points a refund takes back: in proportion to the share of the order refunded, computed on the running
 * total so that rounding never adds up to more or less than the order earned (a full refund, in however many parts,
 * reverses exactly what the order earned).
 */
public final class RefundReversal {

    private RefundReversal() {
    }

    /**
     * @param orderPoints        points the order earned
     * @param orderAmountFen     the order's amount
     * @param refundedBeforeFen  refunded before this refund
     * @param refundedAfterFen   refunded including this refund (at most the order's amount)
     * @return points this refund reverses
     */
    public static long pointsToReverse(long orderPoints, long orderAmountFen, long refundedBeforeFen,
                                       long refundedAfterFen) {
        return share(orderPoints, refundedAfterFen, orderAmountFen) - share(orderPoints, refundedBeforeFen, orderAmountFen);
    }

    private static long share(long points, long part, long whole) {
        return BigInteger.valueOf(points).multiply(BigInteger.valueOf(part))
                .divide(BigInteger.valueOf(whole)).longValueExact();
    }
}
