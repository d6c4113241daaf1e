package io.siyu.engine.points.config;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The programme's earning settings.
 *
 * @param pointsPerYuan points for every whole yuan of a purchase
 * @param checkIn       points for daily check-ins
 */
@ConfigurationProperties(prefix = "siyu.loyalty")
public record LoyaltyProperties(@DefaultValue("1") int pointsPerYuan, CheckIn checkIn) {

    public LoyaltyProperties {
        checkIn = checkIn == null ? new CheckIn(5, Map.of(7, 20)) : checkIn;
    }

    /**
     * @param points        points for every check-in
     * @param streakBonuses bonus points on given streak days ({@code siyu.loyalty.check-in.streak-bonuses.7=20})
     */
    public record CheckIn(@DefaultValue("5") int points, Map<Integer, Integer> streakBonuses) {

        public CheckIn {
            streakBonuses = streakBonuses == null ? Map.of(7, 20) : streakBonuses;
        }
    }
}
