package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.BOUGHT_AT;
import static io.siyu.engine.member.MemberFixture.DEFAULT_RULES;
import static io.siyu.engine.member.MemberFixture.EXPIRES;
import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.NOW;
import static io.siyu.engine.member.MemberFixture.REGISTERED;
import static io.siyu.engine.member.MemberFixture.earnedFor;
import static io.siyu.engine.member.MemberFixture.purchase;
import static io.siyu.engine.member.MemberFixture.recorded;
import static io.siyu.engine.member.MemberFixture.shanghai;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.FiredRule;
import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.purchase.PurchaseLine;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.rules.Campaign;
import io.siyu.api.rules.EarningRules;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/** Registration, purchases, refunds, redemptions and check-ins: one fixture test per rule and refusal. */
class MemberTest {

    private final AggregateTestFixture<Member> fixture = new MemberFixture().fixture;

    private static List<LotTaken> lot(String orderId, long points) {
        return List.of(new LotTaken("purchase:" + orderId, points));
    }

    // --- registration

    @Test
    void registeringANewMemberRecordsTheRegistration() {
        fixture.givenNoPriorActivity()
                .when(new RegisterMember(ID, "openid-1", null, null, "138****5678", "Xiaoming", null, null))
                .expectEvents(REGISTERED)
                .expectResultMessagePayload(new MemberRegistration(ID, true, 0));
    }

    @Test
    void registeringAnExistingMemberWritesNothingAndAnswersWithTheMember() {
        fixture.given(REGISTERED)
                .when(new RegisterMember(ID, "openid-1", null, null, null, null, null, null))
                .expectNoEvents()
                .expectResultMessagePayload(new MemberRegistration(ID, false, 0));
    }

    // --- purchases

    @Test
    void purchaseEarnsALotThatNamesTheOrderTheRulesAndItsExpiry() {
        fixture.given(REGISTERED)
                .when(purchase("O-1", 12_850))
                .expectEvents(recorded("O-1", 12_850), earnedFor("O-1", 12_850, 128))
                .expectResultMessagePayload(new PurchaseResult(128, 128, false, 2));
    }

    @Test
    void purchaseBelowOneYuanIsRecordedButEarnsNothing() {
        fixture.given(REGISTERED)
                .when(purchase("O-1", 99))
                .expectEvents(recorded("O-1", 99))
                .expectResultMessagePayload(new PurchaseResult(0, 0, false, 1));
    }

    @Test
    void sameOrderAgainWritesNothingAndAnswersTheOriginalResult() {
        fixture.given(REGISTERED, recorded("O-1", 12_850), earnedFor("O-1", 12_850, 128),
                        new PointsRedeemed(ID, "R-1", 28, "coupon", lot("O-1", 28), 100))
                .when(purchase("O-1", 12_850))
                .expectNoEvents()
                .expectResultMessagePayload(new PurchaseResult(128, 128, true, 3));
    }

    @Test
    void orderIdReusedForADifferentPurchaseIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 12_850), earnedFor("O-1", 12_850, 128))
                .when(purchase("O-1", 9_900))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    @Test
    void purchaseForAnUnknownMemberIsRefused() {
        fixture.givenNoPriorActivity()
                .when(purchase("O-1", 12_850))
                .expectNoEvents()
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void purchaseUsesTheRulesInEffectWhenItHappenedAndRecordsEveryRuleThatFired() {
        Instant v1From = BOUGHT_AT.minusSeconds(86_400);
        EarningRuleSet v1 = new EarningRuleSet(1, v1From, new EarningRules(BigDecimal.ONE, Map.of(),
                Map.of("SH-001", new BigDecimal("1.5")), Map.of(), Map.of("skincare", BigDecimal.valueOf(2)),
                List.of(new Campaign("double11", v1From, BOUGHT_AT.plusSeconds(1), BigDecimal.valueOf(2))), 1_000L,
                5, Map.of()));
        EarningRuleSet v2 = new EarningRuleSet(2, BOUGHT_AT.plusSeconds(60), DEFAULT_RULES.rules());
        List<PurchaseLine> lines = List.of(new PurchaseLine("SKU-1", "skincare", 10_000),
                new PurchaseLine("SKU-2", "snacks", 2_000));
        RecordPurchase purchase = new RecordPurchase(ID, "O-9", 12_000, "SH-001", SalesChannel.POS, BOUGHT_AT, lines);
        // (100 × 2 + 20) × 1.5 × 2 = 660
        new MemberFixture(EarningRuleCatalog.of(DEFAULT_RULES, v1, v2)).fixture
                .given(REGISTERED)
                .when(purchase)
                .expectEvents(new PurchaseRecorded(ID, "O-9", 12_000, "SH-001", SalesChannel.POS, BOUGHT_AT, lines),
                        new PointsEarned(ID, "purchase:O-9", 660, 0, 660, PointSource.PURCHASE, "O-9", NOW, EXPIRES,
                                1, List.of(new FiredRule("base", "1 pt/yuan on 120.00"),
                                new FiredRule("category:skincare", "×2 on 100.00"),
                                new FiredRule("store:SH-001", "×1.5"),
                                new FiredRule("campaign:double11", "×2"))));
    }

    // --- refunds

    @Test
    void aRefundAfterTheRefundWindowIsRefusedAndReversesNothing() {
        java.time.Instant longAgo = NOW.minus(java.time.Duration.ofDays(91));
        fixture.given(REGISTERED, recorded("O-OLD", 10_000, longAgo), earnedFor("O-OLD", 10_000, 100))
                .when(new RefundPurchase(ID, "O-OLD", "F-1", 10_000))
                .expectNoEvents()
                .expectException(RefundWindowClosedException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("adjust"));
        fixture.given(REGISTERED, recorded("O-EDGE", 10_000, NOW.minus(java.time.Duration.ofDays(89))),
                        earnedFor("O-EDGE", 10_000, 100))
                .when(new RefundPurchase(ID, "O-EDGE", "F-1", 10_000))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void partialRefundReversesPointsInProportionFromTheOrdersOwnLot() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(new RefundPurchase(ID, "O-1", "F-1", 2_550))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-1", 2_550, 2_550),
                        new PointsReversed(ID, "O-1", "F-1", 25, lot("O-1", 25), 0, 75))
                .expectResultMessagePayload(new RefundResult(25, 0, 75, false, 4));
    }

    @Test
    void refundsInPartsReverseExactlyWhatTheOrderEarned() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 3_333, 3_333),
                        new PointsReversed(ID, "O-1", "F-1", 33, lot("O-1", 33), 0, 67),
                        new PurchaseRefunded(ID, "O-1", "F-2", 3_333, 6_666),
                        new PointsReversed(ID, "O-1", "F-2", 33, lot("O-1", 33), 0, 34))
                .when(new RefundPurchase(ID, "O-1", "F-3", 3_334))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-3", 3_334, 10_000),
                        new PointsReversed(ID, "O-1", "F-3", 34, lot("O-1", 34), 0, 0));
    }

    @Test
    void refundingMoreThanIsLeftOfTheOrderIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 6_000, 6_000),
                        new PointsReversed(ID, "O-1", "F-1", 60, lot("O-1", 60), 0, 40))
                .when(new RefundPurchase(ID, "O-1", "F-2", 4_001))
                .expectNoEvents()
                .expectExceptionMessage("Cannot refund 4001 fen of order O-1: only 4000 fen is left to refund");
    }

    @Test
    void refundOfAnOrderTheMemberNeverMadeIsRefused() {
        fixture.given(REGISTERED)
                .when(new RefundPurchase(ID, "O-404", "F-1", 100))
                .expectNoEvents()
                .expectException(UnknownOrderException.class);
    }

    @Test
    void sameRefundAgainWritesNothingAndAnswersTheOriginalResult() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 5_000, 5_000),
                        new PointsReversed(ID, "O-1", "F-1", 50, lot("O-1", 50), 0, 50))
                .when(new RefundPurchase(ID, "O-1", "F-1", 5_000))
                .expectNoEvents()
                .expectResultMessagePayload(new RefundResult(50, 0, 50, true, 4));
    }

    @Test
    void refundIdReusedForADifferentRefundIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 5_000, 5_000),
                        new PointsReversed(ID, "O-1", "F-1", 50, lot("O-1", 50), 0, 50))
                .when(new RefundPurchase(ID, "O-1", "F-1", 4_000))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    @Test
    void refundAfterThePointsWerePartlySpentTakesWhatIsLeftOfItsLotThenOtherLots() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        recorded("O-2", 5_000), earnedFor("O-2", 5_000, 150),
                        new PointsRedeemed(ID, "R-1", 90, "coupon", lot("O-1", 90), 60))
                .when(new RefundPurchase(ID, "O-1", "F-1", 10_000))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-1", 10_000, 10_000),
                        new PointsReversed(ID, "O-1", "F-1", 60, List.of(new LotTaken("purchase:O-1", 10),
                                new LotTaken("purchase:O-2", 50)), 40, 0))
                .expectResultMessagePayload(new RefundResult(60, 40, 0, false, 7));
    }

    // --- redemptions

    @Test
    void redemptionSpendsPointsFromTheLotThatExpiresFirst() {
        Instant earlier = Instant.parse("2026-01-10T04:00:00Z");
        Instant earlierExpiry = Instant.parse("2027-01-31T16:00:00Z");
        fixture.given(REGISTERED, recorded("O-2", 10_000), earnedFor("O-2", 10_000, 100),
                        recorded("O-1", 5_000, earlier), earnedFor("O-1", 5_000, 150, earlier, earlierExpiry))
                .when(new RedeemPoints(ID, "R-1", 70, "coupon"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 70, "coupon",
                        List.of(new LotTaken("purchase:O-1", 50), new LotTaken("purchase:O-2", 20)), 80))
                .expectResultMessagePayload(new RedemptionResult(80, false, 5));
    }

    @Test
    void cannotRedeemMorePointsThanTheBalance() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(new RedeemPoints(ID, "R-1", 101, "coupon"))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class)
                .expectExceptionMessage("Cannot redeem 101 points: 100 available");
    }

    @Test
    void insufficientPointsRefusalCarriesBalanceHeldAvailableAndRequested() {
        InsufficientPointsException refusal = new InsufficientPointsException(100, 40, 61);
        assertThat(refusal.details()).containsEntry("balance", 100L).containsEntry("held", 40L)
                .containsEntry("available", 60L).containsEntry("requested", 61L);
        assertThat(refusal.getMessage())
                .isEqualTo("Cannot redeem 61 points: 60 available (balance 100, 40 held for reward redemptions being paid)");
    }

    @Test
    void redeemingTheWholeBalanceLeavesZero() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(new RedeemPoints(ID, "R-1", 100, "coupon"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 100, "coupon", lot("O-1", 100), 0));
    }

    @Test
    void sameRedemptionAgainWritesNothingAndAnswersTheOriginalResult() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 40, "coupon", lot("O-1", 40), 60),
                        new PointsRedeemed(ID, "R-2", 60, "coupon", lot("O-1", 60), 0))
                .when(new RedeemPoints(ID, "R-1", 40, "coupon"))
                .expectNoEvents()
                .expectResultMessagePayload(new RedemptionResult(60, true, 4));
    }

    @Test
    void redemptionIdReusedForADifferentAmountIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 40, "coupon", lot("O-1", 40), 60))
                .when(new RedeemPoints(ID, "R-1", 50, "coupon"))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    // --- check-ins

    private static PointsEarned checkInPoints(String day, long points, long balanceAfter, FiredRule... rules) {
        return new PointsEarned(ID, "check-in:" + day, points, 0, balanceAfter, PointSource.CHECK_IN, day, NOW,
                EXPIRES, 0, List.of(rules));
    }

    private static final FiredRule BASE_CHECK_IN = new FiredRule("check-in", "5 pt");

    @Test
    void firstCheckInStartsAStreakAndEarnsTheBasePoints() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED)
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, at),
                        checkInPoints("2026-11-26", 5, 5, BASE_CHECK_IN))
                .expectResultMessagePayload(new CheckInResult(1, 5, false, 5, 2));
    }

    @Test
    void secondCheckInSameDayWritesNothingAndAnswersTodaysResult() {
        Instant morning = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, morning),
                        checkInPoints("2026-11-26", 5, 5, BASE_CHECK_IN))
                .when(new CheckIn(ID, shanghai("2026-11-26T23:59")))
                .expectNoEvents()
                .expectResultMessagePayload(new CheckInResult(1, 5, true, 5, 2));
    }

    @Test
    void seventhConsecutiveDayEarnsTheStreakBonus() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-25"), 6, at.minusSeconds(86_400)),
                        checkInPoints("2026-11-25", 30, 30, BASE_CHECK_IN))
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 7, at),
                        checkInPoints("2026-11-26", 25, 55, BASE_CHECK_IN, new FiredRule("streak-day-7", "+20 pt")))
                .expectResultMessagePayload(new CheckInResult(7, 25, false, 55, 4));
    }

    @Test
    void aMissedDayStartsTheStreakAgain() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-24"), 6, at.minusSeconds(2 * 86_400)))
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, at),
                        checkInPoints("2026-11-26", 5, 5, BASE_CHECK_IN));
    }

    @Test
    void theBusinessDayIsTheShanghaiDateNotTheUtcDate() {
        // 16:30 UTC on the 26th is 00:30 on the 27th in Shanghai: a new day, so the streak goes on.
        Instant afterMidnightInShanghai = Instant.parse("2026-11-26T16:30:00Z");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, shanghai("2026-11-26T09:00")))
                .when(new CheckIn(ID, afterMidnightInShanghai))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-27"), 2, afterMidnightInShanghai),
                        checkInPoints("2026-11-27", 5, 5, BASE_CHECK_IN));
    }

    @Test
    void checkInForADayBeforeTheLastOneIsRefused() {
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, shanghai("2026-11-26T09:00")))
                .when(new CheckIn(ID, shanghai("2026-11-25T23:00")))
                .expectNoEvents()
                .expectException(CheckInOutOfOrderException.class);
    }
}
