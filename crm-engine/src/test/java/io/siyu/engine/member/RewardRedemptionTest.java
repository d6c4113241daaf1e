package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.REGISTERED;
import static io.siyu.engine.member.MemberFixture.earnedFor;
import static io.siyu.engine.member.MemberFixture.recorded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.reward.HoldRewardRedemption;
import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.RewardHold;
import io.siyu.api.reward.RewardPayment;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.RewardRedemptionHeld;
import io.siyu.api.reward.SettleRewardRedemption;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * The member's side of a reward redemption: it holds the points only when it can pay and has room under the reward's
 * limit (so a doomed request never holds a unit of stock), pays with the held points, or ends the redemption unpaid.
 */
class RewardRedemptionTest {

    private static final Instant VALID_UNTIL = Instant.parse("2026-12-26T04:00:00Z");
    private static final String NAME = "满100减20券";

    private final MemberFixture member = new MemberFixture();

    private static HoldRewardRedemption hold(String redemptionId, String rewardId, long points, int limit) {
        return new HoldRewardRedemption(ID, redemptionId, rewardId, NAME, points, limit, "C-" + redemptionId);
    }

    private static RewardRedemptionHeld held(String redemptionId, String rewardId, long points, int limit) {
        return new RewardRedemptionHeld(ID, redemptionId, rewardId, NAME, points, limit, "C-" + redemptionId);
    }

    private static RedeemReward pay(String redemptionId) {
        return new RedeemReward(ID, redemptionId, "RW-1", NAME, 40, "C-" + redemptionId, VALID_UNTIL);
    }

    private static List<Object> withHundredPoints(Object... more) {
        List<Object> given = new ArrayList<>(List.of(REGISTERED, recorded("O-1", 10_000),
                earnedFor("O-1", 10_000, 100)));
        given.addAll(List.of(more));
        return given;
    }

    @Test
    void aMemberWhoCanPayHoldsThePointsAndPaysWithThemInOneCommitWithTheCoupon() {
        member.fixture.given(withHundredPoints())
                .when(hold("R-1", "RW-1", 40, 1))
                .expectEvents(held("R-1", "RW-1", 40, 1))
                .expectResultMessagePayload(new RewardHold(false));
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(pay("R-1"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 40, "reward " + NAME,
                                List.of(new LotTaken("purchase:O-1", 40)), 60),
                        new RewardRedeemed(ID, "R-1", "RW-1", "C-R-1", VALID_UNTIL))
                .expectResultMessagePayload(new RewardPayment(true, null, false));
    }

    @Test
    void aRequestThatCannotSucceedIsRefusedBeforeAnythingIsHeld() {
        // short of points
        member.fixture.given(REGISTERED, recorded("O-1", 3_000), earnedFor("O-1", 3_000, 30))
                .when(hold("R-1", "RW-1", 40, 1))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class);
        // points held by another redemption are not available
        member.fixture.given(withHundredPoints(held("R-1", "RW-2", 70, 5)))
                .when(hold("R-2", "RW-1", 40, 1))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class);
        // at the limit with a coupon already held
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1),
                        new PointsRedeemed(ID, "R-1", 40, "reward " + NAME, List.of(new LotTaken("purchase:O-1", 40)),
                                60),
                        new RewardRedeemed(ID, "R-1", "RW-1", "C-R-1", VALID_UNTIL)))
                .when(hold("R-2", "RW-1", 40, 1))
                .expectNoEvents()
                .expectException(RewardLimitReachedException.class);
        // at the limit with one still in flight (a second tap while the first is being paid)
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(hold("R-2", "RW-1", 40, 1))
                .expectNoEvents()
                .expectException(RewardLimitReachedException.class);
    }

    @Test
    void atMostTenRedemptionsAreInFlightAtOnce() {
        List<Object> given = withHundredPoints();
        for (int i = 1; i <= RewardHolds.MAX_PENDING; i++) {
            given.add(held("R-" + i, "RW-" + i, 1, 1));
        }
        member.fixture.given(given)
                .when(hold("R-11", "RW-11", 1, 1))
                .expectNoEvents()
                .expectException(TooManyPendingRedemptionsException.class);
    }

    @Test
    void heldPointsCannotBeSpentElsewhereNorTheRedemptionIdReused() {
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(new RedeemPoints(ID, "R-2", 80, "gift"))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class);
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(new RedeemPoints(ID, "R-1", 10, "gift"))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(hold("R-1", "RW-2", 40, 1))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }

    @Test
    void pointsThatFellShortWhileHeldEndTheRedemptionUnpaidInThePaymentsCommit() {
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1),
                        new PointsReversed(ID, "O-1", "RF-1", 100, List.of(new LotTaken("purchase:O-1", 100)), 0, 0)))
                .when(pay("R-1"))
                .expectEvents(new RewardRedemptionAbandoned(ID, "R-1", "RW-1",
                        "insufficient-points: the 40 points held for it are no longer there (available 0)"))
                .expectResultMessagePayload(new RewardPayment(false,
                        "insufficient-points: the 40 points held for it are no longer there (available 0)", false));
    }

    @Test
    void retriesAfterTheEndAreAnsweredFromTheCommitThatEndedIt() {
        Object[] paid = {held("R-1", "RW-1", 40, 1),
                new PointsRedeemed(ID, "R-1", 40, "reward " + NAME, List.of(new LotTaken("purchase:O-1", 40)), 60),
                new RewardRedeemed(ID, "R-1", "RW-1", "C-R-1", VALID_UNTIL)};
        member.fixture.given(withHundredPoints(paid)).when(hold("R-1", "RW-1", 40, 1))
                .expectNoEvents().expectResultMessagePayload(new RewardHold(true));
        member.fixture.given(withHundredPoints(paid)).when(hold("R-1", "RW-9", 40, 1))
                .expectNoEvents().expectException(IdempotencyKeyReusedException.class);
        member.fixture.given(withHundredPoints(paid)).when(pay("R-1"))
                .expectNoEvents().expectResultMessagePayload(new RewardPayment(true, null, true));
        member.fixture.given(withHundredPoints(paid))
                .when(new SettleRewardRedemption(ID, "R-1", "RW-1", "reservation-expired: late"))
                .expectNoEvents().expectResultMessagePayload(true);

        RewardRedemptionAbandoned abandoned = new RewardRedemptionAbandoned(ID, "R-1", "RW-1",
                "reward-out-of-stock: Reward RW-1 is out of stock");
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1), abandoned)).when(pay("R-1"))
                .expectNoEvents()
                .expectResultMessagePayload(new RewardPayment(false, abandoned.reason(), true));
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1), abandoned)).when(hold("R-1", "RW-1", 40, 1))
                .expectNoEvents().expectResultMessagePayload(new RewardHold(true));
    }

    @Test
    void aRedemptionEndedUnpaidFreesItsPoints() {
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1)))
                .when(new SettleRewardRedemption(ID, "R-1", "RW-1", "reward-out-of-stock: none left"))
                .expectEvents(new RewardRedemptionAbandoned(ID, "R-1", "RW-1", "reward-out-of-stock: none left"))
                .expectResultMessagePayload(false);
        member.fixture.given(withHundredPoints(held("R-1", "RW-1", 40, 1),
                        new RewardRedemptionAbandoned(ID, "R-1", "RW-1", "reward-out-of-stock: none left")))
                .when(hold("R-2", "RW-1", 100, 1))
                .expectEvents(held("R-2", "RW-1", 100, 1));
    }
}
