package io.siyu.engine.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.checkin.CheckInRewards;
import io.siyu.engine.points.BaseEarningRule;

class MemberTest {

    private static final String ID = "m-1";
    private static final String RULE = "base:1pt-per-yuan";
    private static final Instant BOUGHT_AT = Instant.parse("2026-11-26T12:00:00Z");
    private static final MemberRegistered REGISTERED =
            new MemberRegistered(ID, "openid-1", null, null, "138****5678", "Xiaoming");

    private AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Member.class);
        fixture.registerInjectableResource(new BaseEarningRule(1));
        fixture.registerInjectableResource(new BusinessCalendar(ZoneId.of("Asia/Shanghai")));
        fixture.registerInjectableResource(new CheckInRewards(5, Map.of(7, 20)));
    }

    private static RecordPurchase purchase(String orderId, long amountFen) {
        return new RecordPurchase(ID, orderId, amountFen, "SH-001", SalesChannel.MINI_PROGRAM, BOUGHT_AT);
    }

    private static PurchaseRecorded recorded(String orderId, long amountFen) {
        return new PurchaseRecorded(ID, orderId, amountFen, "SH-001", SalesChannel.MINI_PROGRAM, BOUGHT_AT);
    }

    private static PointsEarned earnedFor(String orderId, long points, long balanceAfter) {
        return new PointsEarned(ID, points, balanceAfter, PointSource.PURCHASE, orderId, RULE);
    }

    private static Instant shanghai(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(ZoneId.of("Asia/Shanghai")).toInstant();
    }

    // --- registration

    @Test
    void registeringANewMemberRecordsTheRegistration() {
        fixture.givenNoPriorActivity()
                .when(new RegisterMember(ID, "openid-1", null, null, "138****5678", "Xiaoming"))
                .expectEvents(REGISTERED)
                .expectResultMessagePayload(new MemberRegistration(ID, true, 0));
    }

    @Test
    void registeringAnExistingMemberWritesNothingAndAnswersWithTheMember() {
        fixture.given(REGISTERED)
                .when(new RegisterMember(ID, "openid-1", null, null, null, null))
                .expectNoEvents()
                .expectResultMessagePayload(new MemberRegistration(ID, false, 0));
    }

    // --- purchases

    @Test
    void purchaseEarnsOnePointPerWholeYuanAndNamesTheOrderAndTheRule() {
        fixture.given(REGISTERED)
                .when(purchase("O-1", 12_850))
                .expectEvents(recorded("O-1", 12_850), earnedFor("O-1", 128, 128))
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
        fixture.given(REGISTERED, recorded("O-1", 12_850), earnedFor("O-1", 128, 128),
                        new PointsRedeemed(ID, "R-1", 28, "coupon", 100))
                .when(purchase("O-1", 12_850))
                .expectNoEvents()
                .expectResultMessagePayload(new PurchaseResult(128, 128, true, 3));
    }

    @Test
    void orderIdReusedForADifferentPurchaseIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 12_850), earnedFor("O-1", 128, 128))
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

    // --- refunds

    @Test
    void partialRefundReversesPointsInProportion() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100))
                .when(new RefundPurchase(ID, "O-1", "F-1", 2_550))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-1", 2_550, 2_550),
                        new PointsReversed(ID, "O-1", "F-1", 25, 0, 75))
                .expectResultMessagePayload(new RefundResult(25, 75, false, 4));
    }

    @Test
    void refundsInPartsReverseExactlyWhatTheOrderEarned() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 3_333, 3_333),
                        new PointsReversed(ID, "O-1", "F-1", 33, 0, 67),
                        new PurchaseRefunded(ID, "O-1", "F-2", 3_333, 6_666),
                        new PointsReversed(ID, "O-1", "F-2", 33, 0, 34))
                .when(new RefundPurchase(ID, "O-1", "F-3", 3_334))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-3", 3_334, 10_000),
                        new PointsReversed(ID, "O-1", "F-3", 34, 0, 0));
    }

    @Test
    void refundingMoreThanIsLeftOfTheOrderIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 6_000, 6_000),
                        new PointsReversed(ID, "O-1", "F-1", 60, 0, 40))
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
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 5_000, 5_000),
                        new PointsReversed(ID, "O-1", "F-1", 50, 0, 50))
                .when(new RefundPurchase(ID, "O-1", "F-1", 5_000))
                .expectNoEvents()
                .expectResultMessagePayload(new RefundResult(50, 50, true, 4));
    }

    @Test
    void refundIdReusedForADifferentRefundIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PurchaseRefunded(ID, "O-1", "F-1", 5_000, 5_000),
                        new PointsReversed(ID, "O-1", "F-1", 50, 0, 50))
                .when(new RefundPurchase(ID, "O-1", "F-1", 4_000))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    @Test
    void refundAfterThePointsWereSpentTakesWhatIsLeftAndRecordsTheShortfall() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PointsRedeemed(ID, "R-1", 90, "coupon", 10))
                .when(new RefundPurchase(ID, "O-1", "F-1", 10_000))
                .expectEvents(new PurchaseRefunded(ID, "O-1", "F-1", 10_000, 10_000),
                        new PointsReversed(ID, "O-1", "F-1", 10, 90, 0))
                .expectResultMessagePayload(new RefundResult(10, 0, false, 5));
    }

    // --- redemptions

    @Test
    void redemptionSpendsPoints() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100))
                .when(new RedeemPoints(ID, "R-1", 40, "coupon"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 40, "coupon", 60))
                .expectResultMessagePayload(new RedemptionResult(60, false, 3));
    }

    @Test
    void cannotRedeemMorePointsThanTheBalance() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100))
                .when(new RedeemPoints(ID, "R-1", 101, "coupon"))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class)
                .expectExceptionMessage("Cannot redeem 101 points: the balance is 100");
    }

    @Test
    void insufficientPointsRefusalCarriesBalanceAndRequested() {
        assertThat(new InsufficientPointsException(100, 101).details())
                .containsEntry("balance", 100L).containsEntry("requested", 101L);
    }

    @Test
    void redeemingTheWholeBalanceLeavesZero() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100))
                .when(new RedeemPoints(ID, "R-1", 100, "coupon"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 100, "coupon", 0));
    }

    @Test
    void sameRedemptionAgainWritesNothingAndAnswersTheOriginalResult() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PointsRedeemed(ID, "R-1", 40, "coupon", 60),
                        new PointsRedeemed(ID, "R-2", 60, "coupon", 0))
                .when(new RedeemPoints(ID, "R-1", 40, "coupon"))
                .expectNoEvents()
                .expectResultMessagePayload(new RedemptionResult(60, true, 4));
    }

    @Test
    void redemptionIdReusedForADifferentAmountIsRefused() {
        fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 100, 100),
                        new PointsRedeemed(ID, "R-1", 40, "coupon", 60))
                .when(new RedeemPoints(ID, "R-1", 50, "coupon"))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    // --- check-ins

    @Test
    void firstCheckInStartsAStreakAndEarnsTheBasePoints() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED)
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, at),
                        new PointsEarned(ID, 5, 5, PointSource.CHECK_IN, "2026-11-26", "check-in:5"))
                .expectResultMessagePayload(new CheckInResult(1, 5, false, 5, 2));
    }

    @Test
    void secondCheckInSameDayWritesNothingAndAnswersTodaysResult() {
        Instant morning = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, morning),
                        new PointsEarned(ID, 5, 5, PointSource.CHECK_IN, "2026-11-26", "check-in:5"))
                .when(new CheckIn(ID, shanghai("2026-11-26T23:59")))
                .expectNoEvents()
                .expectResultMessagePayload(new CheckInResult(1, 5, true, 5, 2));
    }

    @Test
    void seventhConsecutiveDayEarnsTheStreakBonus() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-25"), 6, at.minusSeconds(86_400)),
                        new PointsEarned(ID, 5, 30, PointSource.CHECK_IN, "2026-11-25", "check-in:5"))
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 7, at),
                        new PointsEarned(ID, 25, 55, PointSource.CHECK_IN, "2026-11-26",
                                "check-in:5+streak-day-7:20"))
                .expectResultMessagePayload(new CheckInResult(7, 25, false, 55, 4));
    }

    @Test
    void aMissedDayStartsTheStreakAgain() {
        Instant at = shanghai("2026-11-26T09:00");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-24"), 6, at.minusSeconds(2 * 86_400)))
                .when(new CheckIn(ID, at))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, at),
                        new PointsEarned(ID, 5, 5, PointSource.CHECK_IN, "2026-11-26", "check-in:5"));
    }

    @Test
    void theBusinessDayIsTheShanghaiDateNotTheUtcDate() {
        // 16:30 UTC on the 26th is 00:30 on the 27th in Shanghai: a new day, so the streak goes on.
        Instant afterMidnightInShanghai = Instant.parse("2026-11-26T16:30:00Z");
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, shanghai("2026-11-26T09:00")))
                .when(new CheckIn(ID, afterMidnightInShanghai))
                .expectEvents(new CheckedIn(ID, LocalDate.parse("2026-11-27"), 2, afterMidnightInShanghai),
                        new PointsEarned(ID, 5, 5, PointSource.CHECK_IN, "2026-11-27", "check-in:5"));
    }

    @Test
    void checkInForADayBeforeTheLastOneIsRefused() {
        fixture.given(REGISTERED, new CheckedIn(ID, LocalDate.parse("2026-11-26"), 1, shanghai("2026-11-26T09:00")))
                .when(new CheckIn(ID, shanghai("2026-11-25T23:00")))
                .expectNoEvents()
                .expectException(CheckInOutOfOrderException.class);
    }
}
