package io.siyu.api.member;

import io.siyu.api.KeyedFact;

/**
 * A member gave or withdrew consent for a purpose.
 *
 * @param memberId the member
 * @param changeId the caller's id for the change
 * @param purpose  what the consent is for
 * @param granted  whether the member now consents
 * @param source   where the member said so
 */
public record ConsentChanged(String memberId, String changeId, String purpose, boolean granted, String source) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "consent:" + changeId;
    }
}
