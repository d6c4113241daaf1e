package io.siyu.api.wecom;

import java.time.Instant;

/**
 * The member left a WeCom customer group.
 *
 * @param memberId      the member
 * @param factKey       the dedupe key of the callback that reported it
 * @param chatId        the group's chat id
 * @param quitScene     WeCom's {@code QuitScene}, or {@code null}
 * @param memberVersion the group's member version after the change, or {@code null}
 * @param occurredAt    when WeCom says it happened
 */
public record WeComGroupLeft(String memberId, String factKey, String chatId, Integer quitScene, String memberVersion,
                             Instant occurredAt) {
}
