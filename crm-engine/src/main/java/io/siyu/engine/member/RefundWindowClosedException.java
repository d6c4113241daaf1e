package io.siyu.engine.member;

import java.time.Instant;
import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A refund of a sale older than the refund window: nothing is reversed; staff adjust points instead. */
public final class RefundWindowClosedException extends Refusal {

    public RefundWindowClosedException(String orderId, Instant occurredAt, long windowDays) {
        super("refund-window-closed", false, "Order " + orderId + " happened at " + occurredAt + ", more than "
                        + windowDays + " days ago: its points can no longer be reversed by a refund; adjust the "
                        + "member's points instead (POST /members/{id}/adjustments)",
                Map.of("orderId", orderId, "occurredAt", occurredAt.toString(), "refundWindowDays", windowDays));
    }
}
