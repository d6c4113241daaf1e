package io.siyu.api.campaign;

import java.time.Instant;
import java.util.List;

import io.siyu.api.KeyedFact;

/** See {@link RecordCampaignMessageSettled}; recorded once per campaign and task. */
public record CampaignMessageSettled(String memberId, String campaignId, String campaignName, String taskId,
                                     String staffUserId, String outcome, Instant sentAt, String joinWayState,
                                     List<String> joinChatIds, Instant occurredAt) implements KeyedFact {

    public static final String SENT = "sent";
    public static final String NOT_A_CONTACT = "not-a-contact";
    public static final String RECEIVE_LIMIT = "receive-limit";
    public static final String NOT_CONFIRMED = "not-confirmed";
    public static final String NOT_SENT = "not-sent";

    public CampaignMessageSettled {
        joinChatIds = joinChatIds == null ? List.of() : List.copyOf(joinChatIds);
    }

    @Override
    public String idempotencyKey() {
        return "campaign:" + campaignId + ":settled:" + taskId;
    }
}
