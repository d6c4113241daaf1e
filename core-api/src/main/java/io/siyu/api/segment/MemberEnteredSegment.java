package io.siyu.api.segment;

/**
 * The member entered a saved segment (the WeCom bridge tags them; marketers count growth from these).
 *
 * @param memberId  the member
 * @param segmentId the segment
 */
public record MemberEnteredSegment(String memberId, String segmentId) {
}
