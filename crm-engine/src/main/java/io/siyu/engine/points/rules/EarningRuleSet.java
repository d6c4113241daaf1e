package io.siyu.engine.points.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.siyu.api.points.FiredRule;
import io.siyu.api.purchase.PurchaseLine;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.rules.Campaign;
import io.siyu.api.rules.EarningRules;

/**
 * One published version of the earning rules, as a policy: how many points a purchase or a check-in earns, and which
 * rules fired. See {@link EarningRules} for the formula; every factor is an exact decimal and the only rounding is
 * the floor at the end, so the order of the factors never matters and no order earns a fraction of a point.
 *
 * @param version       the version (0: the configured defaults)
 * @param effectiveFrom from when it applies
 * @param rules         the rules
 */
public record EarningRuleSet(int version, Instant effectiveFrom, EarningRules rules) {

    private static final BigDecimal ONE = BigDecimal.ONE;

    /** What a purchase brings to the rules. */
    public record Purchase(long amountFen, List<PurchaseLine> lines, String storeId, SalesChannel channel,
                           Instant occurredAt, String tier) {
    }

    /** Points and the rules that produced them. */
    public record Earning(long points, List<FiredRule> fired) {
    }

    public Earning forPurchase(Purchase purchase) {
        List<FiredRule> fired = new ArrayList<>();
        fired.add(new FiredRule("base", plain(rules.pointsPerYuan()) + " pt/yuan on " + yuan(purchase.amountFen())));
        List<PurchaseLine> lines = purchase.lines().isEmpty()
                ? List.of(new PurchaseLine(null, null, purchase.amountFen()))
                : purchase.lines();
        BigDecimal value = BigDecimal.ZERO;
        for (PurchaseLine line : lines) {
            BigDecimal lineValue = BigDecimal.valueOf(line.amountFen(), 2).multiply(rules.pointsPerYuan());
            BigDecimal category = line.category() == null ? null : rules.categoryMultipliers().get(line.category());
            if (category != null && category.compareTo(ONE) != 0) {
                lineValue = lineValue.multiply(category);
                fired.add(new FiredRule("category:" + line.category(),
                        "×" + plain(category) + " on " + yuan(line.amountFen())));
            }
            value = value.add(lineValue);
        }
        value = value.multiply(factor("tier:" + purchase.tier(), rules.tierMultipliers().get(purchase.tier()), fired));
        // the rules' maps are immutable ones, which refuse a null key
        value = value.multiply(factor("store:" + purchase.storeId(), purchase.storeId() == null ? null
                : rules.storeMultipliers().get(purchase.storeId()), fired));
        String channel = purchase.channel() == null ? null : purchase.channel().code();
        value = value.multiply(factor("channel:" + channel, channel == null ? null
                : rules.channelMultipliers().get(channel), fired));
        for (Campaign campaign : rules.campaigns()) {
            if (!purchase.occurredAt().isBefore(campaign.start()) && purchase.occurredAt().isBefore(campaign.end())) {
                value = value.multiply(factor("campaign:" + campaign.id(), campaign.multiplier(), fired));
            }
        }
        long points = value.setScale(0, RoundingMode.FLOOR).longValueExact();
        Long cap = rules.perOrderCap();
        if (cap != null && points > cap) {
            fired.add(new FiredRule("cap", "capped " + points + " → " + cap));
            points = cap;
        }
        return new Earning(points, List.copyOf(fired));
    }

    public Earning forCheckIn(int streak) {
        List<FiredRule> fired = new ArrayList<>();
        fired.add(new FiredRule("check-in", rules.checkInPoints() + " pt"));
        long points = rules.checkInPoints();
        Integer bonus = rules.streakBonuses().get(streak);
        if (bonus != null && bonus != 0) {
            fired.add(new FiredRule("streak-day-" + streak, "+" + bonus + " pt"));
            points += bonus;
        }
        return new Earning(points, List.copyOf(fired));
    }

    private static BigDecimal factor(String rule, BigDecimal multiplier, List<FiredRule> fired) {
        if (multiplier == null || multiplier.compareTo(ONE) == 0) {
            return ONE;
        }
        fired.add(new FiredRule(rule, "×" + plain(multiplier)));
        return multiplier;
    }

    private static String plain(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    private static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    /**
     * Checks rules before they are published, naming the first problem in words a developer can act on.
     *
     * @return the problems found, each as field → message; empty when the rules are valid
     */
    public static Map<String, String> problems(EarningRules rules) {
        java.util.LinkedHashMap<String, String> problems = new java.util.LinkedHashMap<>();
        if (rules.pointsPerYuan() == null || rules.pointsPerYuan().signum() < 0) {
            problems.put("rules.pointsPerYuan", "must be a number of at least 0");
        } else if (rules.pointsPerYuan().compareTo(BigDecimal.valueOf(1000)) > 0) {
            problems.put("rules.pointsPerYuan", "must be at most 1000");
        }
        checkMultipliers("rules.tierMultipliers", rules.tierMultipliers(), problems);
        checkMultipliers("rules.storeMultipliers", rules.storeMultipliers(), problems);
        checkMultipliers("rules.channelMultipliers", rules.channelMultipliers(), problems);
        checkMultipliers("rules.categoryMultipliers", rules.categoryMultipliers(), problems);
        rules.channelMultipliers().keySet().stream().filter(code -> SalesChannel.fromCode(code).isEmpty()).findFirst()
                .ifPresent(code -> problems.put("rules.channelMultipliers." + code, "is not a sales channel"));
        for (int i = 0; i < rules.campaigns().size(); i++) {
            Campaign campaign = rules.campaigns().get(i);
            String field = "rules.campaigns[" + i + "]";
            if (campaign.id() == null || campaign.id().isBlank()) {
                problems.put(field + ".id", "must not be blank");
            }
            if (campaign.start() == null || campaign.end() == null || !campaign.start().isBefore(campaign.end())) {
                problems.put(field + ".end", "needs a start before its end");
            }
            if (!validMultiplier(campaign.multiplier())) {
                problems.put(field + ".multiplier", "must be between 0 and 100");
            }
        }
        if (rules.perOrderCap() != null && rules.perOrderCap() < 0) {
            problems.put("rules.perOrderCap", "must not be negative");
        }
        if (rules.checkInPoints() < 0 || rules.checkInPoints() > 1_000_000) {
            problems.put("rules.checkInPoints", "must be between 0 and 1000000");
        }
        rules.streakBonuses().forEach((day, bonus) -> {
            if (day == null || day < 1 || bonus == null || bonus < 0 || bonus > 1_000_000) {
                problems.put("rules.streakBonuses." + day, "needs a day of at least 1 and 0 to 1000000 points");
            }
        });
        return problems;
    }

    private static void checkMultipliers(String field, Map<String, BigDecimal> multipliers,
                                         Map<String, String> problems) {
        multipliers.forEach((key, multiplier) -> {
            if (!validMultiplier(multiplier)) {
                problems.put(field + "." + key, "must be between 0 and 100");
            }
        });
    }

    private static boolean validMultiplier(BigDecimal multiplier) {
        return multiplier != null && multiplier.signum() >= 0 && multiplier.compareTo(BigDecimal.valueOf(100)) <= 0;
    }
}
