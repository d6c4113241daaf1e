package io.siyu.engine.campaign;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A request named a campaign that was never saved (404 {@code unknown-campaign}). */
public final class UnknownCampaignException extends Refusal {

    public UnknownCampaignException(String campaignId) {
        super("unknown-campaign", true, "There is no campaign " + campaignId, Map.of("campaignId", campaignId));
    }
}
