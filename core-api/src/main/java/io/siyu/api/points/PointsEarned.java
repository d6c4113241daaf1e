package io.siyu.api.points;

import java.time.Instant;
import java.util.List;

/**
 * A member earned points. Unless the member owes points (see {@link PointsReversed#debtIncurred()}), they form a new
 * lot: {@code lotId}, {@code points - debtRepaid} points, earned at {@code earnedAt}, usable until {@code expiresAt}.
 * Points owed are paid off first: {@code debtRepaid} of them never reach the balance.
 *
 * @param memberId       the member
 * @param lotId          the lot's id, unique per member ({@code purchase:<orderId>}, {@code check-in:<day>}, ...)
 * @param points         points earned (positive)
 * @param debtRepaid     of these, points that paid off the member's points debt (0 when there was none)
 * @param balanceAfter   the balance after this event
 * @param source         what earned them
 * @param sourceId       the order id, the business day (ISO date) of a check-in, the adjustment id
 * @param earnedAt       when the points were credited
 * @param expiresAt      the first instant the lot can no longer be used, or {@code null} if it never expires
 * @param ruleSetVersion the version of the earning rules that computed the amount (0 = the configured defaults)
 * @param rules          the rules that fired, in the order they were applied
 */
public record PointsEarned(String memberId,
                           String lotId,
                           long points,
                           long debtRepaid,
                           long balanceAfter,
                           PointSource source,
                           String sourceId,
                           Instant earnedAt,
                           Instant expiresAt,
                           int ruleSetVersion,
                           List<FiredRule> rules) {

    public PointsEarned {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** @return the points that went into the lot (and the balance) */
    public long lotPoints() {
        return points - debtRepaid;
    }
}
