package io.siyu.api.purchase;

import java.time.Instant;
import java.util.List;

import io.siyu.api.KeyedFact;

/**
 * A member bought something. Always followed, in the same commit, by the {@code PointsEarned} it produced (if any)
 * and the {@code TierChanged} it caused (if any).
 *
 * @param memberId   the member
 * @param orderId    the brand's order id
 * @param amountFen  the amount paid, in fen
 * @param storeId    the store the order belongs to
 * @param channel    where the purchase was made
 * @param occurredAt when the purchase happened (as reported by the caller)
 * @param lines      the order's lines, empty when the caller sent none
 */
public record PurchaseRecorded(String memberId,
                               String orderId,
                               long amountFen,
                               String storeId,
                               SalesChannel channel,
                               Instant occurredAt,
                               List<PurchaseLine> lines) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "order:" + orderId;
    }

    public PurchaseRecorded {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
