package io.siyu.wecom.outbox;

/**
 * Whether a member consents to a purpose now (PIPL: checked at the moment the work is done, not when it was queued).
 * The engine answers from its member read model.
 */
@FunctionalInterface
public interface ConsentCheck {

    /** The purpose WeCom tags serve: they select people for marketing. */
    String MARKETING = "marketing";

    boolean allows(String memberId, String purpose);
}
