package io.siyu.engine.checkin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Business days are calendar days in one time zone (Asia/Shanghai unless configured), whatever the server's zone. */
public record BusinessCalendar(ZoneId zone) {

    public LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }
}
