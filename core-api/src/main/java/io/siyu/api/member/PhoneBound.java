package io.siyu.api.member;

import io.siyu.api.PersonalData;

/**
 * A member's phone number was bound (or changed) from a source that vouches for it.
 *
 * @param memberId    the member
 * @param phoneHash   keyed hash of the normalised phone number
 * @param phoneMasked masked phone number for display
 * @param source      who vouched for it, e.g. {@code wechat}
 */
public record PhoneBound(String memberId, @PersonalData String phoneHash, @PersonalData String phoneMasked, String source) {
}
