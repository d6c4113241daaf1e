package io.siyu.api.member;

import io.siyu.api.PersonalData;

/**
 * A member who had no WeChat unionid got one: it became known after registration (the Mini Program was bound to the
 * brand's Open Platform account later, the member granted their profile, or an integration learned it). From now on
 * WeCom contacts with this unionid are this member's, including the ones recorded before.
 *
 * @param memberId the member
 * @param unionid  the WeChat unionid (personal information)
 * @param source   where it became known: {@code registration} (a registration of the member's openid that carried
 *                 it: an integration's {@code POST /members} or a Mini Program sign-in)
 */
public record MemberUnionidAttached(String memberId, @PersonalData String unionid, String source) {
}
