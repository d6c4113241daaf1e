package io.siyu.engine.member;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.siyu.engine.points.RefundWindow;
import io.siyu.engine.tier.Qualifying;
import io.siyu.engine.tier.TierQualificationPolicy;

/**
 * The orders a member's rules still need: those inside the tier qualifying window (spend or points that count) or
 * the refund window (a refund takes back from its own order). Older orders are forgotten: nothing decides on them any
 * more, and a retry of one is answered from the commit that recorded it ({@link RecordedFacts}). A member with years
 * of purchases holds at most the orders of its longest window.
 */
final class OrderWindow {

    private final Map<String, Order> orders = new HashMap<>();

    /**
     * What a recorded order needs for refunds and tier qualification (a retry is answered from its commit, so its
     * store, channel and lines are not held); an array in a snapshot.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"amountFen", "occurredAt", "pointsEarned", "refundedFen", "pointsReversed"})
    record Order(long amountFen, Instant occurredAt, long pointsEarned, long refundedFen, long pointsReversed) {
    }

    /**
     * The oldest moment an order still matters at {@code now}: orders that happened before it are outside both
     * windows (and so cannot be refunded any more).
     */
    static Instant horizon(Instant now, TierQualificationPolicy qualification, RefundWindow refunds) {
        Instant qualifying = qualification.windowStart(now);
        Instant refundable = now.minus(refunds.length());
        return qualifying.isBefore(refundable) ? qualifying : refundable;
    }

    /**
     * Forgets orders that happened before {@code horizon}. Called as each order is recorded, with the horizon at its
     * recording: an order missing here happened before the horizon of the last recording, so before today's too.
     */
    void forgetBefore(Instant horizon) {
        orders.values().removeIf(order -> order.occurredAt().isBefore(horizon));
    }

    Order get(String orderId) {
        return orders.get(orderId);
    }

    void recorded(String orderId, long amountFen, Instant occurredAt) {
        orders.put(orderId, new Order(amountFen, occurredAt, 0, 0, 0));
    }

    void earned(String orderId, long points) {
        orders.computeIfPresent(orderId, (id, o) -> new Order(o.amountFen(), o.occurredAt(), o.pointsEarned() + points,
                o.refundedFen(), o.pointsReversed()));
    }

    void refundedUpTo(String orderId, long refundedTotalFen) {
        orders.computeIfPresent(orderId, (id, o) -> new Order(o.amountFen(), o.occurredAt(), o.pointsEarned(),
                refundedTotalFen, o.pointsReversed()));
    }

    void reversed(String orderId, long points) {
        orders.computeIfPresent(orderId, (id, o) -> new Order(o.amountFen(), o.occurredAt(), o.pointsEarned(),
                o.refundedFen(), o.pointsReversed() + points));
    }

    /** Net spend and purchase points of the orders that happened from {@code start} to {@code at}. */
    Qualifying qualifying(Instant start, Instant at) {
        long spend = 0;
        long points = 0;
        for (Order order : orders.values()) {
            if (!order.occurredAt().isBefore(start) && !order.occurredAt().isAfter(at)) {
                spend += order.amountFen() - order.refundedFen();
                points += order.pointsEarned() - order.pointsReversed();
            }
        }
        return new Qualifying(spend, points);
    }
}
