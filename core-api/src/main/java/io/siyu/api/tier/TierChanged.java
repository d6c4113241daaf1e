package io.siyu.api.tier;

import io.siyu.api.PersonalData;

import java.time.Instant;

/**
 * A member's tier changed. Downstream (welcome messages, segments, WeCom tags) reacts to this event alone.
 *
 * @param memberId           the member
 * @param from               the tier before
 * @param to                 the tier after
 * @param cause              why
 * @param reason             in words, e.g. {@code qualifying spend 5,200.00 ≥ 5,000.00 for gold}
 * @param actor              the staff member for a manual override, otherwise {@code null}
 * @param qualifyingSpendFen net spend in the qualification window at the time
 * @param qualifyingPoints   net purchase points in the qualification window at the time
 * @param nextReviewAt       when the tier is next reviewed for retention ({@code null} for the base tier)
 */
public record TierChanged(String memberId,
                          String from,
                          String to,
                          TierChangeCause cause,
                          @PersonalData String reason,
                          String actor,
                          long qualifyingSpendFen,
                          long qualifyingPoints,
                          Instant nextReviewAt) {
}
