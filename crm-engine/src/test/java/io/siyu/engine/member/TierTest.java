package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.NOW;
import static io.siyu.engine.member.MemberFixture.REGISTERED;
import static io.siyu.engine.member.MemberFixture.earnedFor;
import static io.siyu.engine.member.MemberFixture.purchase;
import static io.siyu.engine.member.MemberFixture.recorded;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.tier.OverrideTier;
import io.siyu.api.tier.ReviewTier;
import io.siyu.api.tier.TierChangeCause;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorEnded;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierResult;
import io.siyu.api.tier.TierRetained;

/** Upgrades on purchase, retention reviews at the anniversary, manual floors. */
class TierTest {

    private final MemberFixture member = new MemberFixture();
    /** The anniversary of a tier reached at NOW: the start of 2027-11-26 in Shanghai. */
    private static final Instant REVIEW = Instant.parse("2027-11-25T16:00:00Z");
    private static final Instant NEXT_REVIEW = Instant.parse("2028-11-25T16:00:00Z");

    private static TierChanged reached(String from, String to, long spendFen, String reason) {
        return new TierChanged(ID, from, to, TierChangeCause.QUALIFIED, reason, null, spendFen, spendFen / 100, REVIEW);
    }

    @Test
    void aPurchaseThatReachesTheThresholdUpgradesInTheSameCommit() {
        member.fixture.given(REGISTERED, recorded("O-1", 60_000), earnedFor("O-1", 60_000, 600))
                .when(purchase("O-2", 40_000))
                .expectEvents(recorded("O-2", 40_000), earnedFor("O-2", 40_000, 1_000),
                        reached("member", "silver", 100_000,
                                "qualifying 1,000.00 yuan reaches silver (1,000.00 yuan)"));
    }

    @Test
    void aBigPurchaseJumpsStraightToTheHighestTierItQualifiesFor() {
        member.fixture.given(REGISTERED)
                .when(purchase("O-1", 600_000))
                .expectEvents(recorded("O-1", 600_000), earnedFor("O-1", 600_000, 6_000),
                        reached("member", "gold", 600_000, "qualifying 6,000.00 yuan reaches gold (5,000.00 yuan)"));
    }

    @Test
    void purchasesOlderThanTheWindowDoNotCount() {
        Instant thirteenMonthsAgo = Instant.parse("2025-10-20T04:00:00Z");
        member.fixture.given(REGISTERED, recorded("O-1", 90_000, thirteenMonthsAgo))
                .when(purchase("O-2", 20_000))
                .expectEvents(recorded("O-2", 20_000), earnedFor("O-2", 20_000, 200));
    }

    @Test
    void aReviewBeforeTheAnniversaryDoesNothing() {
        member.clock.set(REVIEW.minusSeconds(60));
        member.fixture.given(REGISTERED, recorded("O-1", 600_000), earnedFor("O-1", 600_000, 6_000),
                        reached("member", "gold", 600_000, "-"))
                .when(new ReviewTier(ID))
                .expectNoEvents()
                .expectResultMessagePayload(new TierResult("gold", false, 3));
    }

    @Test
    void aMemberWhoStillQualifiesKeepsTheTierForAnotherYear() {
        member.clock.set(REVIEW);
        Instant recent = REVIEW.minusSeconds(30L * 86_400);
        Instant lastYear = Instant.parse("2026-11-20T04:00:00Z");
        member.fixture.given(REGISTERED, recorded("O-1", 600_000, lastYear), reached("member", "gold", 600_000, "-"),
                        recorded("O-2", 520_000, recent))
                .when(new ReviewTier(ID))
                .expectEvents(new TierRetained(ID, "gold", "qualifying 5,200.00 yuan keeps gold (5,000.00 yuan)",
                        520_000, 0, NEXT_REVIEW));
    }

    @Test
    void aMemberBelowTheirTierDropsAtMostOneTierPerReview() {
        member.clock.set(REVIEW);
        member.fixture.given(REGISTERED, recorded("O-1", 2_500_000), earnedFor("O-1", 2_500_000, 25_000),
                        reached("member", "black", 2_500_000, "-"),
                        new PurchaseRefunded(ID, "O-1", "F-1", 2_500_000, 2_500_000))
                .when(new ReviewTier(ID))
                .expectEvents(new TierChanged(ID, "black", "gold", TierChangeCause.RETENTION_REVIEW,
                        "qualifying 0.00 yuan is below black (20,000.00 yuan); at most 1 tier(s) down per review",
                        null, 0, 25_000, NEXT_REVIEW));
    }

    @Test
    void aManualOverrideSetsTheTierAndAFloorOnRecord() {
        Instant until = Instant.parse("2027-03-01T00:00:00Z");
        member.fixture.given(REGISTERED)
                .when(new OverrideTier(ID, "OV-1", "gold", until, "VIP launch guest", "staff-7"))
                .expectEvents(new TierFloorSet(ID, "OV-1", "gold", until, "VIP launch guest", "staff-7"),
                        new TierChanged(ID, "member", "gold", TierChangeCause.MANUAL_OVERRIDE,
                                "VIP launch guest (floor until 2027-03-01T00:00:00Z)", "staff-7", 0, 0, REVIEW))
                .expectResultMessagePayload(new TierResult("gold", false, 2));
    }

    @Test
    void aReviewDuringAFloorDoesNotGoBelowIt() {
        member.clock.set(REVIEW);
        Instant until = Instant.parse("2028-03-01T00:00:00Z");
        member.fixture.given(REGISTERED, new TierFloorSet(ID, "OV-1", "gold", until, "VIP", "staff-7"),
                        new TierChanged(ID, "member", "gold", TierChangeCause.MANUAL_OVERRIDE, "VIP", "staff-7", 0, 0,
                                REVIEW))
                .when(new ReviewTier(ID))
                .expectEvents(new TierRetained(ID, "gold", "qualifying 0.00 yuan is below gold, held by the manual floor",
                        0, 0, NEXT_REVIEW));
    }

    @Test
    void whenTheFloorEndsTheMemberIsReviewedThatDay() {
        Instant until = Instant.parse("2027-03-01T00:00:00Z");
        member.clock.set(until);
        member.fixture.given(REGISTERED, new TierFloorSet(ID, "OV-1", "gold", until, "VIP", "staff-7"),
                        new TierChanged(ID, "member", "gold", TierChangeCause.MANUAL_OVERRIDE, "VIP", "staff-7", 0, 0,
                                REVIEW))
                .when(new ReviewTier(ID))
                .expectEvents(new TierFloorEnded(ID, "OV-1", "gold"),
                        new TierChanged(ID, "gold", "silver", TierChangeCause.OVERRIDE_ENDED,
                                "qualifying 0.00 yuan is below gold (5,000.00 yuan); at most 1 tier(s) down per review",
                                null, 0, 0, Instant.parse("2028-02-29T16:00:00Z")));
    }

    @Test
    void anOverrideToATierThatDoesNotExistIsRefused() {
        member.fixture.given(REGISTERED)
                .when(new OverrideTier(ID, "OV-1", "platinum", NOW.plusSeconds(86_400), "x", "staff-7"))
                .expectNoEvents()
                .expectException(UnknownTierException.class);
    }
}
