package io.siyu.wecom.callback;

import java.time.Instant;

/**
 * Facts about a contact relationship are keyed by the relationship — staff member, external user and WeCom's add time
 * ({@code createtime}, the add callback's {@code CreateTime}) — not by the callback that reported them, so a callback
 * and a reconciliation that both see one fact record it once, in either order. The add key is the add callback's
 * dedupe key, so facts recorded before these keys are recognised.
 */
public final class ContactKeys {

    private ContactKeys() {
    }

    /** @return the key of the relationship that began at {@code addedAt} */
    public static String added(String staffUserId, String externalUserId, Instant addedAt) {
        return "change_external_contact|add_external_contact|" + staffUserId + "|" + externalUserId + "|"
                + addedAt.getEpochSecond();
    }

    /** @return the key a half-add callback gave the same relationship (facts recorded before relationship keys) */
    public static String halfAdded(String staffUserId, String externalUserId, Instant addedAt) {
        return "change_external_contact|add_half_external_contact|" + staffUserId + "|" + externalUserId + "|"
                + addedAt.getEpochSecond();
    }

    /** @return the key of the end of the relationship that began at {@code addedAt} */
    public static String removed(String staffUserId, String externalUserId, Instant addedAt) {
        return "contact-removed|" + staffUserId + "|" + externalUserId + "|" + addedAt.getEpochSecond();
    }

    /** @return the key of an end whose relationship's beginning was never known: dated by WeCom's time of the end */
    public static String removedUnknownStart(String staffUserId, String externalUserId, Instant at) {
        return "contact-removed|" + staffUserId + "|" + externalUserId + "|at" + at.getEpochSecond();
    }
}
