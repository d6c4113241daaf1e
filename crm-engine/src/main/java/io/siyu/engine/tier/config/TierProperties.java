package io.siyu.engine.tier.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.siyu.engine.tier.TierBasis;
import io.siyu.engine.tier.TierLevel;

/**
 * The programme's tiers.
 *
 * @param levels       the tiers, lowest first (the first has threshold 0); thresholds in fen (or points)
 * @param basis        {@code spend} (net spend) or {@code points} (net purchase points)
 * @param windowMonths the rolling qualification window
 * @param reviewMonths months from a tier change to its retention review (the tier anniversary)
 * @param maxStepsDown most tiers one retention review can drop
 */
@ConfigurationProperties(prefix = "siyu.tiers")
public record TierProperties(List<TierLevel> levels,
                             @DefaultValue("spend") TierBasis basis,
                             @DefaultValue("12") int windowMonths,
                             @DefaultValue("12") int reviewMonths,
                             @DefaultValue("1") int maxStepsDown) {

    public TierProperties {
        levels = levels == null || levels.isEmpty() ? List.of(
                new TierLevel("member", "普卡", "Member", 0),
                new TierLevel("silver", "银卡", "Silver", 100_000),
                new TierLevel("gold", "金卡", "Gold", 500_000),
                new TierLevel("black", "黑金", "Black", 2_000_000)) : List.copyOf(levels);
    }

    /** @return the tier codes, lowest first */
    public Set<String> codes() {
        return levels.stream().map(TierLevel::code).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
