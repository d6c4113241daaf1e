package io.siyu.api.campaign;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/** See {@link RecordCampaignMessageHeldBack}; recorded once per campaign and attempt. */
public record CampaignMessageHeldBack(String memberId, String campaignId, String campaignName, String reason,
                                      int attempt, Instant retryAt, Instant occurredAt) implements KeyedFact {

    /** Held back: the member has had as many mass messages as WeCom allows in the window. */
    public static final String RECEIVE_LIMIT = "receive-limit";

    @Override
    public String idempotencyKey() {
        return "campaign:" + campaignId + ":held:" + attempt;
    }
}
