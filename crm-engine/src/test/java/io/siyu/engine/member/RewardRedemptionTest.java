package io.siyu.engine.member;

import static io.siyu.engine.member.MemberFixture.ID;
import static io.siyu.engine.member.MemberFixture.REGISTERED;
import static io.siyu.engine.member.MemberFixture.earnedFor;
import static io.siyu.engine.member.MemberFixture.recorded;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.RewardRedeemed;

/** The member's side of a reward redemption: points and coupon in one commit, the per-member limit. */
class RewardRedemptionTest {

    private final MemberFixture member = new MemberFixture();
    private static final Instant VALID_UNTIL = Instant.parse("2026-12-26T04:00:00Z");

    private static RedeemReward redeem(String redemptionId, String coupon) {
        return new RedeemReward(ID, redemptionId, "RW-1", "满100减20券", 40, 1, coupon, VALID_UNTIL);
    }

    @Test
    void theCouponAndThePointsThatPayForItAreRecordedTogether() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100))
                .when(redeem("R-1", "C-1"))
                .expectEvents(new PointsRedeemed(ID, "R-1", 40, "reward 满100减20券",
                                List.of(new LotTaken("purchase:O-1", 40)), 60),
                        new RewardRedeemed(ID, "R-1", "RW-1", "C-1", VALID_UNTIL))
                .expectResultMessagePayload(new RedemptionResult(60, false, 4));
    }

    @Test
    void aMemberAtTheRewardsLimitIsRefusedAndPaysNothing() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 40, "reward 满100减20券", List.of(new LotTaken("purchase:O-1", 40)),
                                60),
                        new RewardRedeemed(ID, "R-1", "RW-1", "C-1", VALID_UNTIL))
                .when(redeem("R-2", "C-2"))
                .expectNoEvents()
                .expectException(RewardLimitReachedException.class);
    }

    @Test
    void aMemberWhoCannotPayIsRefused() {
        member.fixture.given(REGISTERED, recorded("O-1", 3_000), earnedFor("O-1", 3_000, 30))
                .when(redeem("R-1", "C-1"))
                .expectNoEvents()
                .expectException(InsufficientPointsException.class);
    }

    @Test
    void theSameRewardRedemptionAgainIsADuplicate() {
        member.fixture.given(REGISTERED, recorded("O-1", 10_000), earnedFor("O-1", 10_000, 100),
                        new PointsRedeemed(ID, "R-1", 40, "reward 满100减20券", List.of(new LotTaken("purchase:O-1", 40)),
                                60),
                        new RewardRedeemed(ID, "R-1", "RW-1", "C-1", VALID_UNTIL))
                .when(redeem("R-1", "C-1"))
                .expectNoEvents()
                .expectResultMessagePayload(new RedemptionResult(60, true, 4));
    }
}
