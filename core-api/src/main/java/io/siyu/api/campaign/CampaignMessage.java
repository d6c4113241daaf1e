package io.siyu.api.campaign;

import java.util.List;

/**
 * What a campaign sends: text (at most 4,000 bytes) and up to 9 attachments; not both empty.
 */
public record CampaignMessage(String text, List<CampaignAttachment> attachments) {

    public CampaignMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
