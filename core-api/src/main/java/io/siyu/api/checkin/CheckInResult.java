package io.siyu.api.checkin;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link CheckIn}.
 *
 * @param streak           consecutive business days checked in, today included
 * @param pointsEarned     points today's check-in earned
 * @param alreadyCheckedIn {@code true} when the member had already checked in today and nothing was written now
 * @param balance          the member's balance after the check-in
 * @param version          the sequence number of the member stream's last event after the command
 */
public record CheckInResult(int streak, long pointsEarned, boolean alreadyCheckedIn, long balance, long version)
        implements MemberStreamResult {
}
