package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A refund asked for more than is left of the order. */
public final class RefundExceedsPurchaseException extends Refusal {

    RefundExceedsPurchaseException(String orderId, long requestedFen, long refundableFen) {
        super("refund-exceeds-purchase", false, "Cannot refund " + requestedFen + " fen of order " + orderId
                        + ": only " + refundableFen + " fen is left to refund",
                Map.of("orderId", orderId, "requestedFen", requestedFen, "refundableFen", refundableFen));
    }
}
