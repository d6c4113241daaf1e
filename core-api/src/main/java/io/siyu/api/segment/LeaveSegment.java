package io.siyu.api.segment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The member no longer meets a saved segment's criteria; records {@link MemberLeftSegment} if the member was in it.
 *
 * @param memberId  the member
 * @param segmentId the segment
 */
public record LeaveSegment(@TargetAggregateIdentifier String memberId, String segmentId) {
}
