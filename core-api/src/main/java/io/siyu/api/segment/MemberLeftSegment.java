package io.siyu.api.segment;

/**
 * The member left a saved segment.
 *
 * @param memberId  the member
 * @param segmentId the segment
 */
public record MemberLeftSegment(String memberId, String segmentId) {
}
