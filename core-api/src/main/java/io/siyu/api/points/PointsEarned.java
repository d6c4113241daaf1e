package io.siyu.api.points;

/**
 * A member earned points.
 *
 * @param memberId     the member
 * @param points       points added (positive)
 * @param balanceAfter the balance after this event
 * @param source       what earned them
 * @param sourceId     the order id for a purchase, the business day (ISO date) for a check-in
 * @param rule         the rule that computed the amount, e.g. {@code base:1pt-per-yuan}
 */
public record PointsEarned(String memberId,
                           long points,
                           long balanceAfter,
                           PointSource source,
                           String sourceId,
                           String rule) {
}
