package io.siyu.api.campaign;

/** A campaign was stopped by {@code actor}. */
public record CampaignStopped(String campaignId, String actor) {
}
