package io.siyu.api.wecom;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * The WeCom contact between a staff member and the member ended.
 *
 * @param memberId       the member
 * @param factKey        the dedupe key of the callback that reported it
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param removedBy      who ended it
 * @param occurredAt     when WeCom says it happened
 */
public record WeComContactRemoved(String memberId, String factKey, String staffUserId, String externalUserId,
                                  WeComRemoval removedBy, Instant occurredAt) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "wecom:" + factKey;
    }
}
