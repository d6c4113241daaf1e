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
 * @param reread      {@code true} when this is another reading for a callback already translated (two changes WeCom
 *                    reported in one second arrive as one callback): recorded only if the name or owner read now
 *                    differs from the one held
 */
public record RecordWeComGroupChange(@TargetAggregateIdentifier String chatId,
                                     String factKey,
                                     WeComGroupChange change,
                                     String name,
                                     String ownerUserId,
                                     Instant occurredAt,
                                     boolean reread) {

    /** A first reading: recorded whatever it finds. */
    public RecordWeComGroupChange(String chatId, String factKey, WeComGroupChange change, String name,
                                  String ownerUserId, Instant occurredAt) {
        this(chatId, factKey, change, name, ownerUserId, occurredAt, false);
    }
}
