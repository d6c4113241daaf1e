package io.siyu.api.points;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link ExpirePoints}.
 *
 * @param pointsExpired points that expired now (0 when nothing was due)
 * @param balance       the balance afterwards
 * @param version       the sequence number of the member stream's last event after the command
 */
public record ExpiryResult(long pointsExpired, long balance, long version) implements MemberStreamResult {
}
