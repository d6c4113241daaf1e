package io.siyu.api.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Bind the phone number WeChat vouched for (the Mini Program's {@code getPhoneNumber} code) to the member. Like
 * registration, only a keyed hash and a masked form travel. Binding the number the member already has writes nothing.
 *
 * @param memberId    the member
 * @param phoneHash   keyed hash of the normalised phone number
 * @param phoneMasked masked phone number for display ({@code 138****5678})
 * @param source      who vouched for it, e.g. {@code wechat}
 */
public record BindPhone(@TargetAggregateIdentifier String memberId, String phoneHash, String phoneMasked,
                        String source) {
}
