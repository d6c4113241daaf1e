package io.siyu.engine.member;

import java.time.LocalDate;
import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A check-in for a business day before the member's last one (clock skew between nodes): refused, not rewritten. */
public final class CheckInOutOfOrderException extends Refusal {

    CheckInOutOfOrderException(LocalDate day, LocalDate lastCheckInDay) {
        super("check-in-out-of-order", false, "Check-in for " + day + " comes after the check-in for " + lastCheckInDay,
                Map.of("day", day.toString(), "lastCheckInDay", lastCheckInDay.toString()));
    }
}
