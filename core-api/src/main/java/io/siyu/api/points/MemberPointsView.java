package io.siyu.api.points;

import java.time.LocalDate;
import java.util.List;

/**
 * A member's points as the read side holds them.
 *
 * @param memberId         the member
 * @param openid           the member's Mini Program openid
 * @param balance          points available
 * @param lifetimeEarned   all points ever earned
 * @param lifetimeRedeemed all points ever spent on redemptions
 * @param streak           the check-in streak as of {@code lastCheckInDay}
 * @param lastCheckInDay   the business day of the last check-in, or {@code null}
 * @param recent           the latest point movements, newest first (at most 20)
 * @param version          the sequence number of the last member event this view includes
 */
public record MemberPointsView(String memberId,
                               String openid,
                               long balance,
                               long lifetimeEarned,
                               long lifetimeRedeemed,
                               int streak,
                               LocalDate lastCheckInDay,
                               List<PointMovement> recent,
                               long version) {

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
}
