package io.siyu.engine.points;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The refund reversal policy: proportional, exact over any number of partial refunds. */
class RefundReversalTest {

    @Test
    void aFullRefundReversesEverything() {
        assertThat(RefundReversal.pointsToReverse(128, 12_850, 0, 12_850)).isEqualTo(128);
    }

    @Test
    void aPartialRefundReversesItsShareRoundedDown() {
        assertThat(RefundReversal.pointsToReverse(128, 12_850, 0, 6_425)).isEqualTo(64);
        assertThat(RefundReversal.pointsToReverse(100, 10_000, 0, 99)).isZero();
    }

    @Test
    void refundsInAnyNumberOfPartsReverseExactlyWhatTheOrderEarnedAndNeverMore() {
        Random random = new Random(20261126);
        for (int order = 0; order < 2_000; order++) {
            long amount = 1 + random.nextInt(1_000_000);
            long points = amount / 100 * (1 + random.nextInt(5));
            long refunded = 0;
            long reversed = 0;
            while (refunded < amount) {
                long part = 1 + (long) (random.nextDouble() * (amount - refunded));
                long now = RefundReversal.pointsToReverse(points, amount, refunded, refunded + part);
                assertThat(now).isNotNegative();
                refunded += part;
                reversed += now;
                assertThat(reversed).isLessThanOrEqualTo(points);
            }
            assertThat(reversed).as("order of %d fen, %d points", amount, points).isEqualTo(points);
        }
    }

    @Test
    void noOverflowOnTheLargestOrders() {
        long amount = 10_000_000_000L;
        long points = amount / 100 * 1_000;
        assertThat(RefundReversal.pointsToReverse(points, amount, 0, amount / 2)).isEqualTo(points / 2);
    }
}
