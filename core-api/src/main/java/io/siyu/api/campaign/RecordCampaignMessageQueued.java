package io.siyu.api.campaign;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The member's campaign message was handed to a staff member as a WeCom mass-message task; the staff member must
 * confirm it in their WeCom client before it is sent.
 *
 * @param memberId     the recipient
 * @param campaignId   the campaign
 * @param campaignName its name
 * @param taskId       Siyu's id of the task (one per staff member and batch), the idempotency key with the campaign
 * @param staffUserId  the staff member who sends it
 * @param joinWayState the campaign's join way state, or {@code null}
 * @param joinChatIds  the groups it invites to, possibly empty
 * @param occurredAt   when WeCom accepted the task
 */
public record RecordCampaignMessageQueued(@TargetAggregateIdentifier String memberId, String campaignId,
                                          String campaignName, String taskId, String staffUserId, String joinWayState,
                                          List<String> joinChatIds, Instant occurredAt) {
}
