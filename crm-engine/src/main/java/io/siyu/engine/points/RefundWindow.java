package io.siyu.engine.points;

import java.time.Duration;
import java.time.Instant;

/**
 * How long after a sale its refund may still reverse its points ({@code siyu.loyalty.refund-window}, 90 days by
 * default): later, the refund is refused and staff adjust points instead. It bounds what a member must remember of
 * its orders for refunds.
 *
 * @param length the window, counted from when the sale happened
 */
public record RefundWindow(Duration length) {

    public RefundWindow {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("siyu.loyalty.refund-window must be positive: " + length);
        }
    }

    /** @return whether a sale that happened at {@code occurredAt} can no longer be refunded at {@code now} */
    public boolean closedFor(Instant occurredAt, Instant now) {
        return now.isAfter(occurredAt.plus(length));
    }
}
