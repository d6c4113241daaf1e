package io.siyu.api.purchase;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record a member's purchase and earn points for it. {@code orderId} is the idempotency key: the same order
 * recorded again writes nothing and answers with the original result.
 *
 * @param memberId   the member who bought
 * @param orderId    the brand's order id, unique per member
 * @param amountFen  the amount paid, in fen (positive)
 * @param storeId    the store (or shop) the order belongs to
 * @param channel    where the purchase was made
 * @param occurredAt when the purchase happened; it picks the earning rules and campaigns that apply
 * @param lines      the order's lines (optional, empty when not sent); they add up to {@code amountFen}
 */
public record RecordPurchase(@TargetAggregateIdentifier String memberId,
                             String orderId,
                             long amountFen,
                             String storeId,
                             SalesChannel channel,
                             Instant occurredAt,
                             List<PurchaseLine> lines) {

    public RecordPurchase {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
