package io.siyu.engine.points;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * When earned points expire: at the end of the calendar month {@code months} months after the month they were
 * earned in (business-zone months), the custom in China. Points earned on 2026-03-15 with {@code months = 12} can be
 * used until 2027-03-31 23:59:59 and expire at 2027-04-01 00:00 Asia/Shanghai. {@code months = 0} means points never
 * expire.
 *
 * @param months months after the month of earning
 * @param zone   the business zone whose months count
 */
public record PointsExpiryPolicy(int months, ZoneId zone) {

    public PointsExpiryPolicy {
        if (months < 0) {
            throw new IllegalArgumentException("expiry months must not be negative: " + months);
        }
    }

    /** @return the first instant points earned at {@code earnedAt} can no longer be used, or {@code null}: never */
    public Instant expiresAt(Instant earnedAt) {
        if (months == 0) {
            return null;
        }
        YearMonth expiryMonth = YearMonth.from(earnedAt.atZone(zone)).plusMonths(months);
        return expiryMonth.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }
}
