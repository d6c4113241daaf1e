package io.siyu.api.member;

import io.siyu.api.purchase.SalesChannel;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Register a Mini Program user as a member. The member id is chosen by the caller (one per openid); registering
 * a member that already exists writes nothing and answers with the existing member.
 * <p>
 * The raw phone number never travels in a message: only a keyed hash (for look-ups) and a masked form
 * ({@code 138****5678}, for display) do, so the event store holds no phone number in the clear.
 *
 * @param memberId    the member's id, the stream this command targets
 * @param openid      the Mini Program openid of the user (required)
 * @param unionid     the WeChat Open Platform unionid, when the Mini Program is bound to one
 * @param phoneHash   keyed hash of the normalised phone number, or {@code null}
 * @param phoneMasked masked phone number for display, or {@code null}
 * @param nickname    the nickname the user chose, or {@code null}
 * @param channel     where the user registered (the funnel's and segments' registration channel)
 * @param storeId     the store whose code the user registered through, or {@code null}
 */
public record RegisterMember(@TargetAggregateIdentifier String memberId,
                             String openid,
                             String unionid,
                             String phoneHash,
                             String phoneMasked,
                             String nickname,
                             SalesChannel channel,
                             String storeId) {
}
