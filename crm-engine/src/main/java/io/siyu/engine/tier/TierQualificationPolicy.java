package io.siyu.engine.tier;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which tier a member qualifies for: the highest tier whose threshold their qualifying spend (or points) over the
 * last {@code windowMonths} months reaches. Upgrades are immediate: a purchase that qualifies raises the tier in the
 * same commit.
 *
 * @param levels       the tiers, lowest first; the first has threshold 0 and is every member's starting tier
 * @param basis        spend or points
 * @param windowMonths the rolling window (12)
 * @param zone         the business zone the window's months are counted in
 */
public record TierQualificationPolicy(List<TierLevel> levels, TierBasis basis, int windowMonths, ZoneId zone) {

    public TierQualificationPolicy {
        levels = List.copyOf(levels);
        if (levels.isEmpty() || levels.get(0).threshold() != 0) {
            throw new IllegalArgumentException("the first tier must have threshold 0");
        }
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i).threshold() <= levels.get(i - 1).threshold()) {
                throw new IllegalArgumentException("tier thresholds must rise: " + levels.get(i).code());
            }
        }
        if (levels.stream().map(TierLevel::code).distinct().count() != levels.size()) {
            throw new IllegalArgumentException("tier codes must be unique");
        }
        if (windowMonths < 1) {
            throw new IllegalArgumentException("the qualification window needs at least one month");
        }
    }

    public TierLevel base() {
        return levels.get(0);
    }

    public Optional<TierLevel> level(String code) {
        return levels.stream().filter(level -> level.code().equals(code)).findFirst();
    }

    public int rank(String code) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).code().equals(code)) {
                return i;
            }
        }
        return 0; // a tier no longer configured counts as the base tier
    }

    public TierLevel qualifiedFor(Qualifying qualifying) {
        long value = qualifying.on(basis);
        return levels.stream().filter(level -> level.threshold() <= value)
                .max(Comparator.comparingLong(TierLevel::threshold)).orElseThrow();
    }

    /** The tier a purchase raises the member to, if it is above {@code current}. */
    public Optional<TierLevel> upgrade(String current, Qualifying qualifying) {
        TierLevel qualified = qualifiedFor(qualifying);
        return rank(qualified.code()) > rank(current) ? Optional.of(qualified) : Optional.empty();
    }

    /** The tier above {@code current}, if there is one. */
    public Optional<TierLevel> next(String current) {
        int rank = rank(current);
        return rank + 1 < levels.size() ? Optional.of(levels.get(rank + 1)) : Optional.empty();
    }

    /** The first instant that counts in the window ending at {@code at}. */
    public Instant windowStart(Instant at) {
        return at.atZone(zone).minusMonths(windowMonths).toInstant();
    }

    /** A threshold in words: {@code 5,000.00 yuan} or {@code 5,000 points}. */
    public String amount(long value) {
        return basis == TierBasis.SPEND
                ? String.format(Locale.ROOT, "%,.2f yuan", BigDecimal.valueOf(value, 2))
                : String.format(Locale.ROOT, "%,d points", value);
    }
}
