package io.siyu.api.campaign;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * How the member's campaign message ended, as WeCom reports it for the staff member's task.
 *
 * @param memberId     the recipient
 * @param campaignId   the campaign
 * @param campaignName its name
 * @param taskId       the task it was in (the idempotency key with the campaign)
 * @param staffUserId  the staff member
 * @param outcome      {@code sent}; {@code not-a-contact} (the relationship ended); {@code receive-limit} (WeCom
 *                     refused it as over the customer's limit: the member is planned again);
 *                     {@code not-confirmed} (the staff member did not confirm the task before the deadline);
 *                     {@code not-sent} (confirmed, yet WeCom did not send to this customer)
 * @param sentAt       when WeCom sent it ({@code sent} only), else {@code null}
 * @param joinWayState the campaign's join way state, or {@code null}
 * @param joinChatIds  the groups it invites to, possibly empty
 * @param occurredAt   when the outcome became known
 */
public record RecordCampaignMessageSettled(@TargetAggregateIdentifier String memberId, String campaignId,
                                           String campaignName, String taskId, String staffUserId, String outcome,
                                           Instant sentAt, String joinWayState, List<String> joinChatIds,
                                           Instant occurredAt) {
}
