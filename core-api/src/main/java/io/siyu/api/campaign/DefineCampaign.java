package io.siyu.api.campaign;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Save a campaign. {@code campaignId} is the idempotency key: the same id with another definition is refused.
 *
 * @param campaignId     the marketer's id
 * @param name           a name for people (the timeline shows it)
 * @param segmentId      the saved segment whose members it addresses, evaluated at each run
 * @param message        what it sends
 * @param schedule       when it runs
 * @param purpose        the consent each recipient must have given (marketing by default)
 * @param joinWayState   the state of the group join way it invites to (its joins are the campaign's), or
 *                       {@code null}
 * @param joinChatIds    the groups of that join way (for people reading the timeline), possibly empty
 * @param joinWindowDays a join through the join way counts for the campaign within this many days of the message
 * @param actor          who saved it
 */
public record DefineCampaign(@TargetAggregateIdentifier String campaignId, String name, String segmentId,
                             CampaignMessage message, CampaignSchedule schedule, String purpose, String joinWayState,
                             List<String> joinChatIds, int joinWindowDays, String actor) {
}
