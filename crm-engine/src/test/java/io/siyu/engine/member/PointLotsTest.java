package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.EXPIRES;
import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.NOW;
import static io.siyu.engine.member.MemberFixture.REGISTERED;
import static io.siyu.engine.member.MemberFixture.earnedFor;
import static io.siyu.engine.member.MemberFixture.purchase;
import static io.siyu.engine.member.MemberFixture.recorded;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.siyu.api.points.AdjustPoints;
import io.siyu.api.points.AdjustmentResult;
import io.siyu.api.points.ExpirePoints;
import io.siyu.api.points.ExpiryResult;
import io.siyu.api.points.FiredRule;
import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/** Lots, expiry, points debt and manual adjustments. */
class PointLotsTest {

    private final MemberFixture member = new MemberFixture();
    private static final Instant EARLY = Instant.parse("2025-10-15T04:00:00Z");
    /** Earned in October 2025: usable until the end of October 2026. */
    private static final Instant EARLY_EXPIRY = Instant.parse("2026-10-31T16:00:00Z");

    @Test
    void lotsPastTheirExpiryAreExpiredBeforeARedemptionIsDecided() {
        member.fixture.given(REGISTERED, recorded("O-0", 8_000, EARLY), earnedFor("O-0", 8_000, 80, EARLY, EARLY_EXPIRY),
                        recorded("O-1", 5_000), earnedFor("O-1", 5_000, 130))
                .when(new RedeemPoints(ID, "R-1", 60, "coupon"))
                .expectException(InsufficientPointsException.class)
                .expectExceptionMessage("Cannot redeem 60 points: 50 available");
    }

    @Test
    void expiryIsRecordedWithTheInstantTheLotsExpiredEvenWhenLate() {
        member.clock.set(EARLY_EXPIRY.plusSeconds(3 * 86_400));
        member.fixture.given(REGISTERED, recorded("O-0", 8_000, EARLY), earnedFor("O-0", 8_000, 80, EARLY, EARLY_EXPIRY),
                        new PointsRedeemed(ID, "R-1", 30, "coupon", List.of(new LotTaken("purchase:O-0", 30)), 50))
                .when(new ExpirePoints(ID))
                .expectEvents(new PointsExpired(ID, 50, List.of(new LotTaken("purchase:O-0", 50)), EARLY_EXPIRY, 0))
                .expectResultMessagePayload(new ExpiryResult(50, 0, 4));
    }

    @Test
    void expiringAgainWritesNothing() {
        member.clock.set(EARLY_EXPIRY.plusSeconds(60));
        member.fixture.given(REGISTERED, recorded("O-0", 8_000, EARLY), earnedFor("O-0", 8_000, 80, EARLY, EARLY_EXPIRY),
                        new PointsExpired(ID, 80, List.of(new LotTaken("purchase:O-0", 80)), EARLY_EXPIRY, 0))
                .when(new ExpirePoints(ID))
                .expectNoEvents()
                .expectResultMessagePayload(new ExpiryResult(0, 0, 3));
    }

    @Test
    void nothingExpiresAMinuteBeforeTheEndOfTheMonth() {
        member.clock.set(EARLY_EXPIRY.minusSeconds(60));
        member.fixture.given(REGISTERED, recorded("O-0", 8_000, EARLY), earnedFor("O-0", 8_000, 80, EARLY, EARLY_EXPIRY))
                .when(new ExpirePoints(ID))
                .expectNoEvents();
    }

    @Test
    void aRefundTheBalanceCannotCoverLeavesADebtThatTheNextEarningsPayOffFirst() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 100, "coupon", List.of(new LotTaken("purchase:O-1", 100)), 0),
                        new PurchaseRefunded(ID, "O-1", "F-1", 10_000, 10_000),
                        new PointsReversed(ID, "O-1", "F-1", 0, List.of(), 100, 0))
                .when(purchase("O-2", 15_000))
                .expectEvents(recorded("O-2", 15_000), new PointsEarned(ID, "purchase:O-2", 150, 100, 50,
                        PointSource.PURCHASE, "O-2", NOW, EXPIRES, 0,
                        List.of(new FiredRule("base", "1 pt/yuan on 150.00"))));
    }

    @Test
    void positiveAdjustmentMakesALotAndPaysDebtFirst() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 100, "coupon", List.of(new LotTaken("purchase:O-1", 100)), 0),
                        new PurchaseRefunded(ID, "O-1", "F-1", 10_000, 10_000),
                        new PointsReversed(ID, "O-1", "F-1", 0, List.of(), 100, 0))
                .when(new AdjustPoints(ID, "A-1", 120, "goodwill for late delivery", "staff-7"))
                .expectEvents(new PointsAdjusted(ID, "A-1", 120, "goodwill for late delivery", "staff-7", List.of(),
                        100, EXPIRES, 20, 0L))
                .expectResultMessagePayload(new AdjustmentResult(20, 0, false, 6));
    }

    @Test
    void negativeAdjustmentTakesFromTheLotsAndIsRefusedWhenShort() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(new AdjustPoints(ID, "A-1", -30, "points given twice by mistake", "staff-7"))
                .expectEvents(new PointsAdjusted(ID, "A-1", -30, "points given twice by mistake", "staff-7",
                        List.of(new LotTaken("purchase:O-1", 30)), 0, null, 70, 0L));
        new MemberFixture().fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(new AdjustPoints(ID, "A-1", -101, "mistake", "staff-7"))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class);
    }

    @Test
    void sameAdjustmentAgainIsADuplicateAndAReusedIdWithOtherContentIsRefused() {
        PointsAdjusted adjusted = new PointsAdjusted(ID, "A-1", 50, "goodwill", "staff-7", List.of(), 0, EXPIRES, 50,
                0L);
        member.fixture.given(REGISTERED, adjusted)
                .when(new AdjustPoints(ID, "A-1", 50, "goodwill", "staff-7"))
                .expectNoEvents()
                .expectResultMessagePayload(new AdjustmentResult(50, 0, true, 1));
        new MemberFixture().fixture.given(REGISTERED, adjusted)
                .when(new AdjustPoints(ID, "A-1", 60, "goodwill", "staff-7"))
                .expectException(IdempotencyKeyReusedException.class);
    }
}
