package io.siyu.api.wecom;

import io.siyu.api.PersonalData;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * The WeCom contact between a staff member and the member ended.
 *
 * @param memberId       the member
 * @param factKey        the key of the relationship's end ({@code contact-removed|<staff>|<external>|<add time>}, or
 *                       {@code …|at<time>} when the relationship's add was never known; before relationship keys, the
 *                       callback's key)
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param removedBy      who ended it
 * @param occurredAt     when WeCom says it happened (for one found by reconciliation: when it was found, WeCom keeps
 *                       no time for a relationship that ended)
 * @param foundAt        when reconciliation found it, or {@code null}
 * @param alsoKnownAs    the key of the callback that reported it, also kept, or {@code null}
 */
public record WeComContactRemoved(String memberId, @PersonalData String factKey, String staffUserId, @PersonalData String externalUserId,
                                  WeComRemoval removedBy, Instant occurredAt, Instant foundAt, @PersonalData String alsoKnownAs)
        implements KeyedFact {

    /** An end known by one key. */
    public WeComContactRemoved(String memberId, String factKey, String staffUserId, String externalUserId,
                               WeComRemoval removedBy, Instant occurredAt) {
        this(memberId, factKey, staffUserId, externalUserId, removedBy, occurredAt, null, null);
    }

    @Override
    public java.util.List<String> otherIdempotencyKeys() {
        return alsoKnownAs == null || alsoKnownAs.equals(factKey) ? java.util.List.of()
                : java.util.List.of("wecom:" + alsoKnownAs);
    }

    @Override
    public String idempotencyKey() {
        return "wecom:" + factKey;
    }
}
