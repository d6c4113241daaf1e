package io.siyu.api.campaign;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/** One run of a campaign was planned; the fields are those of {@link RecordCampaignRun}. */
public record CampaignRunPlanned(String campaignId, String runId, Instant plannedAt, long inSegment,
                                 long withoutConsent, long withoutContact, long alreadyAddressed, long newlyAddressed)
        implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "run:" + runId;
    }
}
