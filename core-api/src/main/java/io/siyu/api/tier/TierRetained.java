package io.siyu.api.tier;

import java.time.Instant;

/**
 * A retention review kept the member's tier (or a manual floor held it).
 *
 * @param memberId           the member
 * @param tier               the tier kept
 * @param reason             in words, e.g. {@code qualifying spend 6,000.00 ≥ 5,000.00}
 * @param qualifyingSpendFen net spend in the window at the review
 * @param qualifyingPoints   net purchase points in the window at the review
 * @param nextReviewAt       the next review
 */
public record TierRetained(String memberId,
                           String tier,
                           String reason,
                           long qualifyingSpendFen,
                           long qualifyingPoints,
                           Instant nextReviewAt) {
}
