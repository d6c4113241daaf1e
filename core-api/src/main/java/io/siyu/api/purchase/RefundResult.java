package io.siyu.api.purchase;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link RefundPurchase}; a repeated refund gets the original answer with {@code duplicate = true}.
 *
 * @param pointsReversed points taken back from the balance by this refund
 * @param debtIncurred   points the refund should have taken back but the balance no longer held, now owed
 * @param balance        the member's balance right after the refund
 * @param duplicate      {@code true} when the refund had been recorded before and nothing was written now
 * @param version        the sequence number of the member stream's last event after the command
 */
public record RefundResult(long pointsReversed, long debtIncurred, long balance, boolean duplicate, long version)
        implements MemberStreamResult {
}
