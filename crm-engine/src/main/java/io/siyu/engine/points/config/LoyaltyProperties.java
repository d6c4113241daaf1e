package io.siyu.engine.points.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The programme's default earning rules (version 0, in effect until a published version takes over) and its
 * points expiry.
 *
 * @param pointsPerYuan     base points per yuan (decimal)
 * @param checkIn           points for daily check-ins
 * @param expiryMonths      points expire at the end of the month this many months after they were earned (0: never)
 * @param rulesRefresh      how soon this node sees rules another node published
 * @param refundWindow      how long after a sale a refund may still reverse its points
 */
@ConfigurationProperties(prefix = "siyu.loyalty")
public record LoyaltyProperties(@DefaultValue("1") BigDecimal pointsPerYuan,
                                CheckIn checkIn,
                                @DefaultValue("12") int expiryMonths,
                                @DefaultValue("1s") Duration rulesRefresh,
                                @DefaultValue("90d") Duration refundWindow) {

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
