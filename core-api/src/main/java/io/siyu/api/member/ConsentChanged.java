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
 * @param policyVersion the privacy policy version the member agreed to (or withdrew under), or {@code null}
 */
public record ConsentChanged(String memberId, String changeId, String purpose, boolean granted, String source,
                             String policyVersion) implements KeyedFact {

    /** A change recorded without a policy version. */
    public ConsentChanged(String memberId, String changeId, String purpose, boolean granted, String source) {
        this(memberId, changeId, purpose, granted, source, null);
    }

    @Override
    public String idempotencyKey() {
        return "consent:" + changeId;
    }
}
