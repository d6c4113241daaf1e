package io.siyu.api.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that a member gave or withdrew consent for one purpose (PIPL: marketing messages, WeCom outreach, profiling).
 * {@code changeId} is the idempotency key; a change that leaves the consent as it is writes nothing.
 *
 * @param memberId the member
 * @param changeId the caller's id for this change
 * @param purpose  what the consent is for, e.g. {@code marketing}
 * @param granted  {@code true} to give consent, {@code false} to withdraw it
 * @param source   where the member said so, e.g. {@code mini_program_settings}
 * @param policyVersion the version of the privacy policy the member agreed to (or withdrew under), or {@code null}
 */
public record ChangeConsent(@TargetAggregateIdentifier String memberId,
                            String changeId,
                            String purpose,
                            boolean granted,
                            String source,
                            String policyVersion) {

    /** A change that names no policy version. */
    public ChangeConsent(String memberId, String changeId, String purpose, boolean granted, String source) {
        this(memberId, changeId, purpose, granted, source, null);
    }
}
