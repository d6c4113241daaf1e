package io.siyu.api.points;

/**
 * Ask for a member's points, as the loyalty widget shows them. Answered with a {@link MemberPointsView}, or
 * nothing when the member is unknown.
 *
 * @param memberId the member
 */
public record FindMemberPoints(String memberId) {
}
