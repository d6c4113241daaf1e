package io.siyu.api.member;

import io.siyu.api.PersonalData;

import io.siyu.api.purchase.SalesChannel;

/**
 * A Mini Program user became a member. The first event of every member stream; when it happened is the event's
 * timestamp.
 *
 * @param memberId     the member's id
 * @param openid       the Mini Program openid
 * @param unionid      the WeChat unionid, or {@code null}
 * @param phoneHash    keyed hash of the normalised phone number, or {@code null}
 * @param phoneMasked  masked phone number for display, or {@code null}
 * @param nickname     nickname, or {@code null}
 */
public record MemberRegistered(String memberId,
                               @PersonalData String openid,
                               @PersonalData String unionid,
                               @PersonalData String phoneHash,
                               @PersonalData String phoneMasked,
                               @PersonalData String nickname,
                               SalesChannel channel,
                               String storeId) {
}
