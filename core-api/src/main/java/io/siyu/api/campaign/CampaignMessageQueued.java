package io.siyu.api.campaign;

import java.time.Instant;
import java.util.List;

import io.siyu.api.KeyedFact;

/** See {@link RecordCampaignMessageQueued}; recorded once per campaign and task. */
public record CampaignMessageQueued(String memberId, String campaignId, String campaignName, String taskId,
                                    String staffUserId, String joinWayState, List<String> joinChatIds,
                                    Instant occurredAt) implements KeyedFact {

    public CampaignMessageQueued {
        joinChatIds = joinChatIds == null ? List.of() : List.copyOf(joinChatIds);
    }

    @Override
    public String idempotencyKey() {
        return "campaign:" + campaignId + ":queued:" + taskId;
    }
}
