package io.siyu.api.member;

/**
 * Where a member stands now: tier and points balance, decided from the member's own events (for messages that name
 * them, such as a WeCom welcome).
 *
 * @param memberId the member
 */
public record FindMemberStanding(String memberId) {
}
