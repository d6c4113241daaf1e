package io.siyu.engine.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CheckInRewardsTest {

    private final CheckInRewards rewards = new CheckInRewards(5, Map.of(7, 20, 30, 100));

    @Test
    void everyCheckInEarnsTheBasePoints() {
        assertThat(rewards.pointsFor(1)).isEqualTo(5);
        assertThat(rewards.pointsFor(6)).isEqualTo(5);
        assertThat(rewards.ruleFor(6)).isEqualTo("check-in:5");
    }

    @Test
    void theChosenStreakDaysEarnTheirBonusOnTop() {
        assertThat(rewards.pointsFor(7)).isEqualTo(25);
        assertThat(rewards.pointsFor(30)).isEqualTo(105);
        assertThat(rewards.ruleFor(7)).isEqualTo("check-in:5+streak-day-7:20");
    }

    @Test
    void theBonusIsForThatDayOnlyNotEveryDayAfter() {
        assertThat(rewards.pointsFor(8)).isEqualTo(5);
    }

    @Test
    void negativePointsAreAConfigurationError() {
        assertThatThrownBy(() -> new CheckInRewards(-1, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckInRewards(5, Map.of(0, 20))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckInRewards(5, Map.of(7, -20))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void consecutiveDaysCountUpAndAGapStartsAgain() {
        LocalDate day = LocalDate.parse("2026-11-26");
        assertThat(CheckInStreak.next(null, 0, day)).isEqualTo(1);
        assertThat(CheckInStreak.next(day.minusDays(1), 4, day)).isEqualTo(5);
        assertThat(CheckInStreak.next(day.minusDays(2), 4, day)).isEqualTo(1);
    }

    @Test
    void aStreakCrossesMonthAndYearEnds() {
        assertThat(CheckInStreak.next(LocalDate.parse("2026-12-31"), 3, LocalDate.parse("2027-01-01"))).isEqualTo(4);
        assertThat(CheckInStreak.next(LocalDate.parse("2028-02-28"), 3, LocalDate.parse("2028-02-29"))).isEqualTo(4);
    }
}
