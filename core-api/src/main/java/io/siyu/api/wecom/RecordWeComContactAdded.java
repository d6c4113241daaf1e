package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A staff member added the member as a WeCom external contact (or the member added the staff member).
 *
 * @param memberId       the member the external contact is linked to
 * @param factKey        the relationship's key (staff member, external user, WeCom's add time), so a callback and a
 *                       reconciliation that both see one contact record it once
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param state          the "contact me" channel {@code state}, or {@code null}
 * @param occurredAt     when WeCom says it happened
 * @param foundAt        when reconciliation found it, or {@code null} for a callback
 * @param alsoKnownAs    another key the same fact may have been recorded under (a half-add's, or a callback's before
 *                       relationship keys), or {@code null}
 */
public record RecordWeComContactAdded(@TargetAggregateIdentifier String memberId,
                                      String factKey,
                                      String staffUserId,
                                      String externalUserId,
                                      String state,
                                      Instant occurredAt,
                                      Instant foundAt,
                                      String alsoKnownAs) {

    /** A contact reported by a callback, known by one key. */
    public RecordWeComContactAdded(String memberId, String factKey, String staffUserId, String externalUserId,
                                   String state, Instant occurredAt) {
        this(memberId, factKey, staffUserId, externalUserId, state, occurredAt, null, null);
    }
}
