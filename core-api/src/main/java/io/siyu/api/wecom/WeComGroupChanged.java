package io.siyu.api.wecom;

import java.time.Instant;

/**
 * A WeCom customer group was created, renamed, given to another owner, given a new notice, or dismissed.
 *
 * @param chatId      the group's chat id
 * @param factKey     the dedupe key of the callback that reported it
 * @param change      what changed
 * @param name        the group's name after the change, or {@code null} when unknown (a dismissed group)
 * @param ownerUserId the owning staff member after the change, or {@code null} when unknown
 * @param occurredAt  when WeCom says it happened
 */
public record WeComGroupChanged(String chatId, String factKey, WeComGroupChange change, String name,
                                String ownerUserId, Instant occurredAt) {
}
