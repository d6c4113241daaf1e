package io.siyu.api.campaign;

/**
 * A page of a saved segment's members as a campaign addresses them, evaluated now: only members who consent to
 * {@code purpose} are listed, with their current WeCom contacts; the others are only counted.
 *
 * @param segmentId the saved segment
 * @param purpose   the consent required
 * @param after     the last member id of the previous page, or {@code null}
 * @param limit     members per page (1..1000)
 */
public record FindCampaignAudience(String segmentId, String purpose, String after, int limit) {
}
