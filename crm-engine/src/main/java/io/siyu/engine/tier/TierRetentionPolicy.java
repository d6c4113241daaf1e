package io.siyu.engine.tier;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What a retention review decides, at the tier anniversary: a member who still qualifies for their tier (or a
 * higher one) keeps it; one who does not drops to the tier they qualify for, but by at most {@code maxStepsDown}
 * tiers per review, and never below an active manual floor. The base tier is never reviewed.
 *
 * @param qualification the qualification rules (tiers, basis, window)
 * @param maxStepsDown  most tiers one review can drop (1)
 * @param reviewMonths  months from a tier change (or review) to the next review (12)
 */
public record TierRetentionPolicy(TierQualificationPolicy qualification, int maxStepsDown, int reviewMonths) {

    public TierRetentionPolicy {
        if (maxStepsDown < 1) {
            throw new IllegalArgumentException("a review must be able to drop at least one tier");
        }
        if (reviewMonths < 1) {
            throw new IllegalArgumentException("reviews need at least a month between them");
        }
    }

    /** The tier after a review of a member in {@code current} with {@code qualifying}, above {@code floor} if any. */
    public TierLevel review(String current, Qualifying qualifying, String floor) {
        TierLevel qualified = qualification.qualifiedFor(qualifying);
        int currentRank = qualification.rank(current);
        if (qualification.rank(qualified.code()) >= currentRank) {
            return qualification.levels().get(currentRank);
        }
        int rank = Math.max(qualification.rank(qualified.code()), currentRank - maxStepsDown);
        if (floor != null) {
            rank = Math.max(rank, qualification.rank(floor));
        }
        return qualification.levels().get(rank);
    }

    /** When a tier reached (or kept) at {@code at} is next reviewed: the start of the anniversary day. */
    public Instant nextReview(Instant at) {
        ZoneId zone = qualification.zone();
        return at.atZone(zone).toLocalDate().plusMonths(reviewMonths).atStartOfDay(zone).toInstant();
    }
}
