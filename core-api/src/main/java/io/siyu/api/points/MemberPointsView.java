package io.siyu.api.points;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A member's points as the read side holds them.
 *
 * @param memberId         the member
 * @param openid           the member's Mini Program openid
 * @param balance          points available after the last recorded event (see {@link #balanceAt(Instant)})
 * @param debt             points the member owes (refunds after the points were spent); paid off by earnings first
 * @param lifetimeEarned   all points ever earned
 * @param lifetimeRedeemed all points ever spent on redemptions
 * @param streak           the check-in streak as of {@code lastCheckInDay}
 * @param lastCheckInDay   the business day of the last check-in, or {@code null}
 * @param lots             the open lots, first to expire first
 * @param recent           the latest point movements, newest first (at most 20)
 * @param version          the sequence number of the last member event this view includes
 */
public record MemberPointsView(String memberId,
                               String openid,
                               long balance,
                               long debt,
                               long lifetimeEarned,
                               long lifetimeRedeemed,
                               int streak,
                               LocalDate lastCheckInDay,
                               List<OpenLot> lots,
                               List<PointMovement> recent,
                               long version) {

    public MemberPointsView {
        lots = lots == null ? List.of() : List.copyOf(lots);
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /**
     * The streak a member has on {@code today}: a streak survives until the end of the day after the last
     * check-in, so a member who checked in yesterday still sees it, one who missed a day sees zero.
     *
     * @param today the current business day
     * @return the streak that counts today
     */
    public int streakOn(LocalDate today) {
        if (lastCheckInDay == null || lastCheckInDay.isBefore(today.minusDays(1))) {
            return 0;
        }
        return streak;
    }

    /**
     * The balance usable at {@code at}: lots past their expiry do not count, even before their expiry is recorded.
     *
     * @param at the instant asked about (now, for a widget)
     * @return points usable then
     */
    public long balanceAt(Instant at) {
        return lots.stream().filter(lot -> !lot.expiredAt(at)).mapToLong(OpenLot::points).sum();
    }

    /**
     * The next expiry within {@code window} of {@code at}: the points that expire then (all lots sharing that
     * instant) and when.
     *
     * @param at     now
     * @param window how far ahead to look (30 days for the widget)
     * @return the next expiry, if one falls in the window
     */
    public Optional<Expiry> nextExpiry(Instant at, Duration window) {
        Instant limit = at.plus(window);
        return lots.stream()
                .filter(lot -> lot.expiresAt() != null && !lot.expiredAt(at) && !lot.expiresAt().isAfter(limit))
                .map(OpenLot::expiresAt)
                .min(Instant::compareTo)
                .map(first -> new Expiry(lots.stream().filter(lot -> first.equals(lot.expiresAt()))
                        .mapToLong(OpenLot::points).sum(), first));
    }

    /**
     * Points that expire together.
     *
     * @param points    how many
     * @param expiresAt the first instant they can no longer be used
     */
    public record Expiry(long points, Instant expiresAt) {
    }
}
