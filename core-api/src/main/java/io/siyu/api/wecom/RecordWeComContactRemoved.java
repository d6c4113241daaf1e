package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The WeCom contact between a staff member and the member ended.
 *
 * @param memberId       the member
 * @param factKey        the callback's dedupe key
 * @param staffUserId    the staff member's WeCom user id
 * @param externalUserId the member's WeCom external user id
 * @param removedBy      who ended it
 * @param occurredAt     when WeCom says it happened
 */
public record RecordWeComContactRemoved(@TargetAggregateIdentifier String memberId,
                                        String factKey,
                                        String staffUserId,
                                        String externalUserId,
                                        WeComRemoval removedBy,
                                        Instant occurredAt) {
}
