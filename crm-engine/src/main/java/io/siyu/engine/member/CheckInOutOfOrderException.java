package io.siyu.engine.member;

import java.time.LocalDate;
import java.util.Map;

/** A check-in for a business day before the member's last one (clock skew between nodes): refused, not rewritten. */
public final class CheckInOutOfOrderException extends MemberRefusal {

    private final LocalDate day;
    private final LocalDate lastCheckInDay;

    CheckInOutOfOrderException(LocalDate day, LocalDate lastCheckInDay) {
        super("Check-in for " + day + " comes after the check-in for " + lastCheckInDay);
        this.day = day;
        this.lastCheckInDay = lastCheckInDay;
    }

    @Override
    public String type() {
        return "check-in-out-of-order";
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("day", day.toString(), "lastCheckInDay", lastCheckInDay.toString());
    }
}
