package io.siyu.engine.checkin;

import java.time.LocalDate;

/** The streak rule: consecutive business days count up, a missed day starts again at one. */
public final class CheckInStreak {

    private CheckInStreak() {
    }

    /**
     * @param lastDay    the last business day checked in, or {@code null} for a first check-in
     * @param lastStreak the streak reached on {@code lastDay}
     * @param day        the business day checking in now (after {@code lastDay})
     * @return the streak including {@code day}
     */
    public static int next(LocalDate lastDay, int lastStreak, LocalDate day) {
        return lastDay != null && lastDay.plusDays(1).equals(day) ? lastStreak + 1 : 1;
    }
}
