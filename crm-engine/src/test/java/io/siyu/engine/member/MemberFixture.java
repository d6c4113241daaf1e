package io.siyu.engine.member;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.axonframework.test.aggregate.AggregateTestFixture;

import io.siyu.api.member.MemberRegistered;
import io.siyu.api.points.FiredRule;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.rules.EarningRules;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.points.PointsExpiryPolicy;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.support.SettableClock;
import io.siyu.engine.tier.TierBasis;
import io.siyu.engine.tier.TierLevel;
import io.siyu.engine.tier.TierQualificationPolicy;
import io.siyu.engine.tier.TierRetentionPolicy;

/** The member aggregate with the programme's default rules and a clock the test sets, and the events it expects. */
final class MemberFixture {

    static final String ID = "m-1";
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 12:00 in Shanghai. */
    static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");
    static final Instant BOUGHT_AT = NOW.minusSeconds(3_600);
    /** Points earned in November 2026 can be used until the end of November 2027. */
    static final Instant EXPIRES = Instant.parse("2027-11-30T16:00:00Z");
    static final MemberRegistered REGISTERED =
            new MemberRegistered(ID, "openid-1", null, null, "138****5678", "Xiaoming", SalesChannel.MINI_PROGRAM, null);
    static final EarningRuleSet DEFAULT_RULES = new EarningRuleSet(0, Instant.MIN,
            new EarningRules(BigDecimal.ONE, Map.of(), Map.of(), Map.of(), Map.of(), List.of(), null, 5,
                    Map.of(7, 20)));
    static final TierQualificationPolicy QUALIFICATION = new TierQualificationPolicy(List.of(
            new TierLevel("member", "普卡", "Member", 0),
            new TierLevel("silver", "银卡", "Silver", 100_000),
            new TierLevel("gold", "金卡", "Gold", 500_000),
            new TierLevel("black", "黑金", "Black", 2_000_000)), TierBasis.SPEND, 12, SHANGHAI);
    static final TierRetentionPolicy RETENTION = new TierRetentionPolicy(QUALIFICATION, 1, 12);

    final SettableClock clock = new SettableClock(NOW);
    final AggregateTestFixture<Member> fixture = new AggregateTestFixture<>(Member.class);

    MemberFixture() {
        this(EarningRuleCatalog.of(DEFAULT_RULES));
    }

    MemberFixture(EarningRuleCatalog rules) {
        fixture.registerInjectableResource(rules);
        fixture.registerInjectableResource(new BusinessCalendar(SHANGHAI));
        fixture.registerInjectableResource(new PointsExpiryPolicy(12, SHANGHAI));
        fixture.registerInjectableResource(new io.siyu.engine.points.RefundWindow(java.time.Duration.ofDays(90)));
        fixture.registerInjectableResource(QUALIFICATION);
        fixture.registerInjectableResource(RETENTION);
        fixture.registerInjectableResource(clock);
        fixture.registerInjectableResource(new FixtureFacts(fixture.getEventStore()));
    }

    static RecordPurchase purchase(String orderId, long amountFen) {
        return new RecordPurchase(ID, orderId, amountFen, "SH-001", SalesChannel.MINI_PROGRAM, BOUGHT_AT, List.of());
    }

    static PurchaseRecorded recorded(String orderId, long amountFen) {
        return recorded(orderId, amountFen, BOUGHT_AT);
    }

    static PurchaseRecorded recorded(String orderId, long amountFen, Instant occurredAt) {
        return new PurchaseRecorded(ID, orderId, amountFen, "SH-001", SalesChannel.MINI_PROGRAM, occurredAt, List.of());
    }

    /** Points a purchase earned under the default rules (1 pt/yuan), credited at {@link #NOW}. */
    static PointsEarned earnedFor(String orderId, long amountFen, long balanceAfter) {
        return earnedFor(orderId, amountFen, balanceAfter, NOW, EXPIRES);
    }

    static PointsEarned earnedFor(String orderId, long amountFen, long balanceAfter, Instant at, Instant expires) {
        long points = amountFen / 100;
        return new PointsEarned(ID, "purchase:" + orderId, points, 0, balanceAfter, PointSource.PURCHASE, orderId, at,
                expires, 0, List.of(new FiredRule("base", "1 pt/yuan on " + BigDecimal.valueOf(amountFen, 2))));
    }

    static Instant shanghai(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }
}
