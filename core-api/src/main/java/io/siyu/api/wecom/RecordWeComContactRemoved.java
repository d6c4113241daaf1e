package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The WeCom contact between a staff member and the member ended.
 *
 * @param memberId       the member
 * @param factKey        the key of the relationship's end (staff member, external user, WeCom's add time of the
 *                       relationship that ended)
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param removedBy      who ended it
 * @param occurredAt     when WeCom says it happened (when it was found, for one found by reconciliation)
 * @param foundAt        when reconciliation found it, or {@code null} for a callback
 * @param alsoKnownAs    another key the same fact may have been recorded under (the callback's, before relationship
 *                       keys), or {@code null}
 */
public record RecordWeComContactRemoved(@TargetAggregateIdentifier String memberId,
                                        String factKey,
                                        String staffUserId,
                                        String externalUserId,
                                        WeComRemoval removedBy,
                                        Instant occurredAt,
                                        Instant foundAt,
                                        String alsoKnownAs) {

    /** An end reported by a callback, known by one key. */
    public RecordWeComContactRemoved(String memberId, String factKey, String staffUserId, String externalUserId,
                                     WeComRemoval removedBy, Instant occurredAt) {
        this(memberId, factKey, staffUserId, externalUserId, removedBy, occurredAt, null, null);
    }
}
