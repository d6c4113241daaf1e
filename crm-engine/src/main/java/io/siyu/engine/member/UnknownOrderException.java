package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A refund named an order the member never made. */
public final class UnknownOrderException extends Refusal {

    UnknownOrderException(String orderId) {
        super("unknown-order", true, "The member has no order " + orderId, Map.of("orderId", orderId));
    }
}
