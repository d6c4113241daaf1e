package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record a change to a WeCom customer group itself, on the group's own stream (member joins and leaves are on the
 * members' streams). The fact key is the callback's dedupe key: a retry records nothing.
 *
 * @param chatId      the group's chat id
 * @param factKey     the callback's dedupe key
 * @param change      what changed
 * @param name        the group's name as WeCom reports it now, or {@code null}
 * @param ownerUserId the owning staff member as WeCom reports it now, or {@code null}
 * @param occurredAt  when WeCom says it happened
 */
public record RecordWeComGroupChange(@TargetAggregateIdentifier String chatId,
                                     String factKey,
                                     WeComGroupChange change,
                                     String name,
                                     String ownerUserId,
                                     Instant occurredAt) {
}
