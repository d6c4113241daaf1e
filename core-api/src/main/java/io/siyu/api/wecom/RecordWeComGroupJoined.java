package io.siyu.api.wecom;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The member joined a WeCom customer group.
 *
 * @param memberId      the member
 * @param factKey       the callback's dedupe key
 * @param chatId        the group's chat id
 * @param joinScene     how: WeCom's {@code JoinScene} (0 invited by a member, 1 by link, 3 by QR code)
 * @param state         the join channel {@code state} from the group's member list, or {@code null}
 * @param memberVersion the group's member version after the change ({@code MemChangeVer}), or {@code null}
 * @param occurredAt    when WeCom says it happened
 * @param foundAt       when Siyu found the change by reading the group again (reconciliation), or {@code null} when
 *                      WeCom reported it; a found join is dated by WeCom's {@code join_time}, a found departure (WeCom
 *                      keeps no time for it) by when it was found
 */
public record RecordWeComGroupJoined(@TargetAggregateIdentifier String memberId,
                                     String factKey,
                                     String chatId,
                                     Integer joinScene,
                                     String state,
                                     String memberVersion,
                                     Instant occurredAt,
                                     Instant foundAt) {
}
