package io.siyu.api.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop a campaign: no further run; tasks already handed to staff still have their outcomes collected. */
public record StopCampaign(@TargetAggregateIdentifier String campaignId, String actor) {
}
