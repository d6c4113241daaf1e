package io.siyu.engine.points.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import io.siyu.api.points.FiredRule;
import io.siyu.api.purchase.PurchaseLine;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.rules.Campaign;
import io.siyu.api.rules.EarningRules;

/**
 * The earning calculation. Documented promises, checked over generated rules and orders: points are never negative,
 * the multipliers commute (which dimension a factor sits in, and in which order campaigns are listed, never changes
 * the result), the cap holds, and paying more never earns less.
 */
class EarningRuleSetTest {

    private static final Instant AT = Instant.parse("2026-11-11T04:00:00Z");

    private static EarningRuleSet rules(BigDecimal rate, BigDecimal tier, BigDecimal store, BigDecimal channel,
                                        List<BigDecimal> campaigns, Long cap) {
        List<Campaign> windows = new ArrayList<>();
        for (int i = 0; i < campaigns.size(); i++) {
            windows.add(new Campaign("c" + i, AT.minusSeconds(3_600), AT.plusSeconds(3_600), campaigns.get(i)));
        }
        return new EarningRuleSet(1, Instant.MIN, new EarningRules(rate, Map.of("gold", tier), Map.of("S1", store),
                Map.of("pos", channel), Map.of(), windows, cap, 5, Map.of()));
    }

    private static long earn(EarningRuleSet set, long amountFen) {
        return set.forPurchase(new EarningRuleSet.Purchase(amountFen, List.of(), "S1", SalesChannel.POS, AT, "gold"))
                .points();
    }

    @Provide
    Arbitrary<BigDecimal> multipliers() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(10)).ofScale(2);
    }

    @Provide
    Arbitrary<BigDecimal> rates() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(20)).ofScale(1);
    }

    @Property
    void pointsAreNeverNegative(@ForAll("rates") BigDecimal rate, @ForAll("multipliers") BigDecimal tier,
                                @ForAll("multipliers") BigDecimal store, @ForAll("multipliers") BigDecimal campaign,
                                @ForAll @LongRange(min = 1, max = 10_000_000_000L) long amountFen) {
        assertThat(earn(rules(rate, tier, store, BigDecimal.ONE, List.of(campaign), null), amountFen)).isNotNegative();
    }

    @Property
    void multipliersCommuteAcrossDimensionsAndCampaignOrder(@ForAll("rates") BigDecimal rate,
                                                            @ForAll("multipliers") BigDecimal a,
                                                            @ForAll("multipliers") BigDecimal b,
                                                            @ForAll("multipliers") BigDecimal c,
                                                            @ForAll("multipliers") BigDecimal d,
                                                            @ForAll @LongRange(min = 1, max = 100_000_000L) long amountFen) {
        long reference = earn(rules(rate, a, b, c, List.of(d), null), amountFen);
        assertThat(earn(rules(rate, d, c, b, List.of(a), null), amountFen)).isEqualTo(reference);
        assertThat(earn(rules(rate, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, List.of(a, b, c, d), null),
                amountFen)).isEqualTo(reference);
        List<BigDecimal> reversed = new ArrayList<>(List.of(a, b, c, d));
        Collections.reverse(reversed);
        assertThat(earn(rules(rate, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, reversed, null), amountFen))
                .isEqualTo(reference);
    }

    @Property
    void theCapHoldsAndIsOnRecordWhenItBites(@ForAll("rates") BigDecimal rate, @ForAll("multipliers") BigDecimal tier,
                                             @ForAll @LongRange(min = 0, max = 5_000) long cap,
                                             @ForAll @LongRange(min = 1, max = 100_000_000L) long amountFen) {
        EarningRuleSet uncapped = rules(rate, tier, BigDecimal.ONE, BigDecimal.ONE, List.of(), null);
        EarningRuleSet capped = rules(rate, tier, BigDecimal.ONE, BigDecimal.ONE, List.of(), cap);
        EarningRuleSet.Earning earning = capped.forPurchase(
                new EarningRuleSet.Purchase(amountFen, List.of(), "S1", SalesChannel.POS, AT, "gold"));
        assertThat(earning.points()).isEqualTo(Math.min(cap, earn(uncapped, amountFen)));
        assertThat(earning.fired().stream().anyMatch(rule -> rule.rule().equals("cap")))
                .isEqualTo(earn(uncapped, amountFen) > cap);
    }

    @Property
    void payingMoreNeverEarnsLess(@ForAll("rates") BigDecimal rate, @ForAll("multipliers") BigDecimal tier,
                                  @ForAll @LongRange(min = 1, max = 100_000_000L) long amountFen,
                                  @ForAll @LongRange(min = 0, max = 1_000_000L) long more) {
        EarningRuleSet set = rules(rate, tier, BigDecimal.ONE, BigDecimal.ONE, List.of(), null);
        assertThat(earn(set, amountFen + more)).isGreaterThanOrEqualTo(earn(set, amountFen));
    }

    @Example
    void onlyCampaignsWhoseWindowHoldsThePurchaseApply() {
        EarningRuleSet set = new EarningRuleSet(3, Instant.MIN, new EarningRules(BigDecimal.ONE, Map.of(), Map.of(),
                Map.of(), Map.of(), List.of(new Campaign("double11", AT, AT.plusSeconds(60), BigDecimal.valueOf(3)),
                new Campaign("later", AT.plusSeconds(60), AT.plusSeconds(120), BigDecimal.TEN)), null, 5, Map.of()));
        EarningRuleSet.Earning atStart = set.forPurchase(
                new EarningRuleSet.Purchase(10_000, List.of(), "S9", SalesChannel.POS, AT, "member"));
        assertThat(atStart.points()).isEqualTo(300);
        assertThat(atStart.fired()).containsExactly(new FiredRule("base", "1 pt/yuan on 100.00"),
                new FiredRule("campaign:double11", "×3"));
        assertThat(set.forPurchase(new EarningRuleSet.Purchase(10_000, List.of(), "S9", SalesChannel.POS,
                AT.minusMillis(1), "member")).points()).isEqualTo(100);
    }

    @Example
    void categoryMultipliersApplyToTheirLinesOnlyAndFractionsAreFlooredOnceAtTheEnd() {
        EarningRuleSet set = new EarningRuleSet(2, Instant.MIN, new EarningRules(BigDecimal.ONE, Map.of(),
                Map.of(), Map.of(), Map.of("skincare", new BigDecimal("1.5")), List.of(), null, 5, Map.of()));
        // 9.99 × 1.5 + 0.02 = 15.005 → 15; flooring each line first would give 14 + 0
        EarningRuleSet.Earning earning = set.forPurchase(new EarningRuleSet.Purchase(1_001,
                List.of(new PurchaseLine("A", "skincare", 999), new PurchaseLine("B", "snacks", 2)), "S1",
                SalesChannel.POS, AT, "member"));
        assertThat(earning.points()).isEqualTo(15);
        assertThat(earning.fired()).contains(new FiredRule("category:skincare", "×1.5 on 9.99"));
    }

    @Example
    void rulesWithImpossibleValuesAreNamedFieldByField() {
        EarningRules bad = new EarningRules(BigDecimal.valueOf(-1), Map.of("gold", BigDecimal.valueOf(101)), Map.of(),
                Map.of("wechat_pay", BigDecimal.ONE), Map.of(),
                List.of(new Campaign("x", AT, AT.minusSeconds(1), BigDecimal.ONE)), -5L, 5, Map.of(0, 10));
        assertThat(EarningRuleSet.problems(bad)).containsOnlyKeys("rules.pointsPerYuan", "rules.tierMultipliers.gold",
                "rules.channelMultipliers.wechat_pay", "rules.campaigns[0].end", "rules.perOrderCap",
                "rules.streakBonuses.0");
    }
}
