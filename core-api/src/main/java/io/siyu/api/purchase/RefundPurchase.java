package io.siyu.api.purchase;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Refund all or part of a recorded order. {@code refundId} is the idempotency key. Points earned by the order are
 * reversed in proportion to the amount refunded; refunding more than is left of the order is refused.
 *
 * @param memberId  the member
 * @param orderId   the order being refunded
 * @param refundId  the brand's refund id, unique per member
 * @param amountFen the amount refunded now, in fen (positive)
 */
public record RefundPurchase(@TargetAggregateIdentifier String memberId,
                             String orderId,
                             String refundId,
                             long amountFen) {
}
