package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A staff member added the member as a WeCom external contact (or the member added the staff member).
 *
 * @param memberId       the member the external contact is linked to
 * @param factKey        the callback's dedupe key
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param state          the "contact me" channel {@code state}, or {@code null}
 * @param occurredAt     when WeCom says it happened
 */
public record RecordWeComContactAdded(@TargetAggregateIdentifier String memberId,
                                      String factKey,
                                      String staffUserId,
                                      String externalUserId,
                                      String state,
                                      Instant occurredAt) {
}
