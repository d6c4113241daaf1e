package io.siyu.engine.member;

import java.util.Map;

/** A refund named an order the member never made. */
public final class UnknownOrderException extends MemberRefusal {

    UnknownOrderException(String orderId) {
        super("unknown-order", true, "The member has no order " + orderId, Map.of("orderId", orderId));
    }
}
