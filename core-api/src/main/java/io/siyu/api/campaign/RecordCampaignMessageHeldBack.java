package io.siyu.api.campaign;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The member's campaign message was held back because they have received as many mass messages as WeCom allows in
 * the current window (counting every source: Siyu, the admin console, staff, other apps); it is planned again when
 * the window allows ({@code retryAt}).
 *
 * @param memberId     the recipient
 * @param campaignId   the campaign
 * @param campaignName its name
 * @param reason       {@code receive-limit}
 * @param attempt      how many times this member has been planned for this campaign (the idempotency key with it)
 * @param retryAt      when it is planned again, or {@code null} when the campaign gives up on the member
 * @param occurredAt   when it was held back
 */
public record RecordCampaignMessageHeldBack(@TargetAggregateIdentifier String memberId, String campaignId,
                                            String campaignName, String reason, int attempt, Instant retryAt,
                                            Instant occurredAt) {
}
