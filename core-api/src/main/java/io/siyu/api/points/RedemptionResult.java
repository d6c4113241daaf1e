package io.siyu.api.points;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link RedeemPoints}; a repeated redemption gets the original answer with {@code duplicate = true}.
 *
 * @param balance   the balance right after the redemption
 * @param duplicate {@code true} when the redemption had been recorded before and nothing was written now
 * @param version   the sequence number of the member stream's last event after the command
 */
public record RedemptionResult(long balance, boolean duplicate, long version) implements MemberStreamResult {
}
