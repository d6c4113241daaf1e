package io.siyu.engine.member;

import java.util.Map;

/** A refund named an order the member never made. */
public final class UnknownOrderException extends MemberRefusal {

    private final String orderId;

    UnknownOrderException(String orderId) {
        super("The member has no order " + orderId);
        this.orderId = orderId;
    }

    @Override
    public String type() {
        return "unknown-order";
    }

    @Override
    public boolean notFound() {
        return true;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("orderId", orderId);
    }
}
