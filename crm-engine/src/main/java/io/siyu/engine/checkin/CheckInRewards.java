package io.siyu.engine.checkin;

import java.util.Map;
import java.util.TreeMap;

/**
 * Points for a daily check-in: the same base every day, plus a bonus on the streak days the brand chose (for example
 * +20 on the 7th consecutive day).
 *
 * @param basePoints    points for every check-in
 * @param streakBonuses bonus points by streak day (day 7 → 20 means the 7th consecutive check-in earns 20 more)
 */
public record CheckInRewards(int basePoints, Map<Integer, Integer> streakBonuses) {

    public CheckInRewards {
        if (basePoints < 0) {
            throw new IllegalArgumentException("check-in base points must not be negative: " + basePoints);
        }
        streakBonuses = Map.copyOf(new TreeMap<>(streakBonuses == null ? Map.of() : streakBonuses));
        streakBonuses.forEach((day, bonus) -> {
            if (day < 1 || bonus < 0) {
                throw new IllegalArgumentException("streak bonus needs a day >= 1 and points >= 0: " + day + "=" + bonus);
            }
        });
    }

    public long pointsFor(int streak) {
        return basePoints + streakBonuses.getOrDefault(streak, 0);
    }

    /** The rule's name as events record it, e.g. {@code check-in:5+streak-day-7:20}. */
    public String ruleFor(int streak) {
        Integer bonus = streakBonuses.get(streak);
        return bonus == null || bonus == 0
                ? "check-in:" + basePoints
                : "check-in:" + basePoints + "+streak-day-" + streak + ":" + bonus;
    }
}
