package io.siyu.api.campaign;

import java.util.List;

/** A campaign was saved; the fields are those of {@link DefineCampaign}. */
public record CampaignDefined(String campaignId, String name, String segmentId, CampaignMessage message,
                              CampaignSchedule schedule, String purpose, String joinWayState, List<String> joinChatIds,
                              int joinWindowDays, String actor) {

    public CampaignDefined {
        joinChatIds = joinChatIds == null ? List.of() : List.copyOf(joinChatIds);
    }
}
