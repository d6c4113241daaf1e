package io.siyu.engine.member;

import java.util.Map;

/** A refund asked for more than is left of the order. */
public final class RefundExceedsPurchaseException extends MemberRefusal {

    private final String orderId;
    private final long requestedFen;
    private final long refundableFen;

    RefundExceedsPurchaseException(String orderId, long requestedFen, long refundableFen) {
        super("Cannot refund " + requestedFen + " fen of order " + orderId + ": only " + refundableFen
                + " fen is left to refund");
        this.orderId = orderId;
        this.requestedFen = requestedFen;
        this.refundableFen = refundableFen;
    }

    @Override
    public String type() {
        return "refund-exceeds-purchase";
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("orderId", orderId, "requestedFen", requestedFen, "refundableFen", refundableFen);
    }
}
