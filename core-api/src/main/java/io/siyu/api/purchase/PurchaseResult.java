package io.siyu.api.purchase;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link RecordPurchase}; a repeated order gets the original answer with {@code duplicate = true}.
 *
 * @param pointsEarned points the order earned
 * @param balance      the member's balance right after the order was recorded
 * @param duplicate    {@code true} when the order had been recorded before and nothing was written now
 * @param version      the sequence number of the member stream's last event after the command
 */
public record PurchaseResult(long pointsEarned, long balance, boolean duplicate, long version)
        implements MemberStreamResult {
}
