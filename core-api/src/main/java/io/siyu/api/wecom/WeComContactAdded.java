package io.siyu.api.wecom;

import io.siyu.api.PersonalData;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * The member became a WeCom external contact of a staff member (a fact recorded once per relationship: staff member,
 * external user and WeCom's add time).
 *
 * @param memberId       the member
 * @param factKey        the relationship's key ({@code change_external_contact|add_external_contact|<staff>|<external>|
 *                       <add time>}, the add callback's dedupe key; before relationship keys, the callback's key)
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param state          the "contact me" channel {@code state} that brought the member, or {@code null}
 * @param occurredAt     when WeCom says it happened
 * @param foundAt        when reconciliation found it (no callback reported it), or {@code null}
 * @param alsoKnownAs    the key of the callback that reported it (or a half-add's key), also kept, or {@code null}
 */
public record WeComContactAdded(String memberId, @PersonalData String factKey, String staffUserId, @PersonalData String externalUserId,
                                String state, Instant occurredAt, Instant foundAt, @PersonalData String alsoKnownAs)
        implements KeyedFact {

    /** A contact known by one key. */
    public WeComContactAdded(String memberId, String factKey, String staffUserId, String externalUserId, String state,
                             Instant occurredAt) {
        this(memberId, factKey, staffUserId, externalUserId, state, occurredAt, null, null);
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
