package io.siyu.api.segment;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to {@link EnterSegment} and {@link LeaveSegment}.
 *
 * @param changed {@code false} when the member was already where the command wanted them
 * @param version the sequence number of the member stream's last event after the command
 */
public record SegmentMembershipResult(boolean changed, long version) implements MemberStreamResult {
}
