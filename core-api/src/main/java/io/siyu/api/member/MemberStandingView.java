package io.siyu.api.member;

/**
 * The answer to {@link FindMemberStanding}.
 *
 * @param memberId   the member
 * @param tier       the tier code
 * @param tierName   the tier's Chinese name
 * @param tierNameEn the tier's English name
 * @param balance    the points balance (expired lots left out)
 */
public record MemberStandingView(String memberId, String tier, String tierName, String tierNameEn, long balance) {
}
