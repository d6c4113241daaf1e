package io.siyu.api.wecom;

import io.siyu.api.PersonalData;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * The member joined a WeCom customer group (recorded once while the membership lasts).
 *
 * @param memberId      the member
 * @param factKey       the dedupe key of the callback that reported it
 * @param chatId        the group's chat id
 * @param joinScene     WeCom's {@code JoinScene}, or {@code null}
 * @param state         the join channel {@code state}, or {@code null}
 * @param memberVersion the group's member version after the change, or {@code null}
 * @param occurredAt    when WeCom says it happened
 * @param foundAt       when Siyu found the change by reading the group again (reconciliation), or {@code null} when
 *                      WeCom reported it; a found join is dated by WeCom's {@code join_time}, a found departure (WeCom
 *                      keeps no time for it) by when it was found
 */
public record WeComGroupJoined(String memberId, @PersonalData String factKey, String chatId, Integer joinScene, String state,
                               String memberVersion, Instant occurredAt, Instant foundAt) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "wecom:" + factKey;
    }
}
