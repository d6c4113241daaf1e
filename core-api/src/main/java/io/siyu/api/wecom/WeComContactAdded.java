package io.siyu.api.wecom;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * The member became a WeCom external contact of a staff member (a fact recorded once per staff member while the
 * contact lasts).
 *
 * @param memberId       the member
 * @param factKey        the dedupe key of the callback that reported it
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param state          the "contact me" channel {@code state} that brought the member, or {@code null}
 * @param occurredAt     when WeCom says it happened
 */
public record WeComContactAdded(String memberId, String factKey, String staffUserId, String externalUserId,
                                String state, Instant occurredAt) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "wecom:" + factKey;
    }
}
