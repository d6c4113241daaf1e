package io.siyu.api.segment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The member meets a saved segment's criteria now; records {@link MemberEnteredSegment} unless the member is in it.
 *
 * @param memberId  the member
 * @param segmentId the segment
 */
public record EnterSegment(@TargetAggregateIdentifier String memberId, String segmentId) {
}
