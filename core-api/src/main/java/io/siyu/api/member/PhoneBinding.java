package io.siyu.api.member;

/**
 * The answer to {@link BindPhone}.
 *
 * @param phoneMasked the masked number now bound
 * @param changed     whether this command changed the bound number
 * @param version     the member stream's version after the command
 */
public record PhoneBinding(String phoneMasked, boolean changed, long version) implements MemberStreamResult {
}
