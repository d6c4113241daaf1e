package io.siyu.api.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A programme's earning rules, as a brand publishes them.
 * <p>
 * Purchase points = floor(Σ over lines of line amount in yuan × {@code pointsPerYuan} × the line's category
 * multiplier × the tier, store and channel multipliers × the multipliers of every campaign whose window holds the
 * purchase), then capped at {@code perOrderCap}. All factors multiply exactly (decimal arithmetic) and the floor is
 * taken once at the end, so their order never changes the result. An order sent without lines is one line with no
 * category. Missing entries mean ×1.
 *
 * @param pointsPerYuan       base points per yuan (decimal, e.g. {@code 1} or {@code 0.1})
 * @param tierMultipliers     by tier code
 * @param storeMultipliers    by store id
 * @param channelMultipliers  by sales channel code ({@code mini_program}, {@code pos}, ...)
 * @param categoryMultipliers by product category
 * @param campaigns           time-windowed multipliers
 * @param perOrderCap         most points one order can earn, or {@code null} for no cap
 * @param checkInPoints       points for every daily check-in
 * @param streakBonuses       extra points on a given streak day (3 → 10: the 3rd consecutive day earns 10 more)
 */
public record EarningRules(BigDecimal pointsPerYuan,
                           Map<String, BigDecimal> tierMultipliers,
                           Map<String, BigDecimal> storeMultipliers,
                           Map<String, BigDecimal> channelMultipliers,
                           Map<String, BigDecimal> categoryMultipliers,
                           List<Campaign> campaigns,
                           Long perOrderCap,
                           int checkInPoints,
                           Map<Integer, Integer> streakBonuses) {

    public EarningRules {
        tierMultipliers = tierMultipliers == null ? Map.of() : Map.copyOf(tierMultipliers);
        storeMultipliers = storeMultipliers == null ? Map.of() : Map.copyOf(storeMultipliers);
        channelMultipliers = channelMultipliers == null ? Map.of() : Map.copyOf(channelMultipliers);
        categoryMultipliers = categoryMultipliers == null ? Map.of() : Map.copyOf(categoryMultipliers);
        campaigns = campaigns == null ? List.of() : List.copyOf(campaigns);
        streakBonuses = streakBonuses == null ? Map.of() : Map.copyOf(streakBonuses);
    }
}
