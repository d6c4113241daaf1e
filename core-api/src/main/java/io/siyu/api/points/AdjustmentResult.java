package io.siyu.api.points;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link AdjustPoints}; a repeated adjustment gets the original answer with {@code duplicate = true}.
 *
 * @param balance   the balance right after the adjustment
 * @param debt      points the member still owes after it
 * @param duplicate {@code true} when the adjustment had been recorded before and nothing was written now
 * @param version   the sequence number of the member stream's last event after the command
 */
public record AdjustmentResult(long balance, long debt, boolean duplicate, long version) implements MemberStreamResult {
}
