package io.siyu.api.campaign;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record what one run of a campaign found (counts only: members who do not consent are counted, never listed).
 *
 * @param runId             the run's id, unique per campaign (its idempotency key)
 * @param plannedAt         when the run looked at the segment
 * @param inSegment         members in the segment then
 * @param withoutConsent    of them, members who had not given the campaign's purpose (held back: consent)
 * @param withoutContact    of the rest, members who were no staff member's WeCom contact (held back: no contact)
 * @param alreadyAddressed  of the rest, members an earlier run already addressed (each member at most once)
 * @param newlyAddressed    members this run queued or held back for the receive limit
 */
public record RecordCampaignRun(@TargetAggregateIdentifier String campaignId, String runId, Instant plannedAt,
                                long inSegment, long withoutConsent, long withoutContact, long alreadyAddressed,
                                long newlyAddressed) {
}
