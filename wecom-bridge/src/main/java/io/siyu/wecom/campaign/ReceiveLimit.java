package io.siyu.wecom.campaign;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;

/**
 * WeCom's cap on enterprise mass messages one customer receives: at most {@code limit} per calendar day, week or
 * month in the business zone, counting every source. A member at the cap is held back until the next window.
 */
final class ReceiveLimit {

    private final int limit;
    private final String window;
    private final ZoneId zone;

    ReceiveLimit(int limit, String window, ZoneId zone) {
        this.limit = limit;
        this.window = window;
        this.zone = zone;
    }

    /** @return whether one more message may reach a customer who has these receipts (sent or pending) */
    boolean allows(Collection<Instant> receipts, Instant now) {
        Instant start = windowStart(now);
        return receipts.stream().filter(at -> !at.isBefore(start)).count() < limit;
    }

    Instant windowStart(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate first = switch (window) {
            case "week" -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> today.withDayOfMonth(1);
            default -> today;
        };
        return first.atStartOfDay(zone).toInstant();
    }

    /** @return when the next window begins: a held-back member is planned again then */
    Instant nextWindow(Instant now) {
        LocalDate first = LocalDate.ofInstant(windowStart(now), zone);
        LocalDate next = switch (window) {
            case "week" -> first.plusWeeks(1);
            case "month" -> first.plusMonths(1);
            default -> first.plusDays(1);
        };
        return next.atStartOfDay(zone).toInstant();
    }
}
