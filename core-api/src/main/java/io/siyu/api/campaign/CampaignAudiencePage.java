package io.siyu.api.campaign;

import java.time.Instant;
import java.util.List;

/**
 * A page of a campaign's audience.
 *
 * @param known          whether the segment exists
 * @param inSegment      members in the segment now
 * @param withoutConsent of them, members who have not given the purpose (never listed)
 * @param members        the page of consenting members, in the index's order
 * @param nextAfter      the {@code after} of the next page, or {@code null} at the end
 */
public record CampaignAudiencePage(boolean known, long inSegment, long withoutConsent, List<Recipient> members,
                                   String nextAfter) {

    /** A consenting member and their current WeCom contacts. */
    public record Recipient(String memberId, List<Contact> contacts) {
    }

    /** One staff member's contact entry of the member: who, the external user id, since when (WeCom's add time). */
    public record Contact(String staffUserId, String externalUserId, Instant addedAt) {
    }
}
