package io.siyu.api.purchase;

import io.siyu.api.KeyedFact;

/**
 * Part or all of an order was refunded.
 *
 * @param memberId          the member
 * @param orderId           the refunded order
 * @param refundId          the refund's id
 * @param amountFen         the amount refunded by this refund, in fen
 * @param refundedTotalFen  the amount of the order refunded so far, this refund included
 */
public record PurchaseRefunded(String memberId,
                               String orderId,
                               String refundId,
                               long amountFen,
                               long refundedTotalFen) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "refund:" + refundId;
    }
}
