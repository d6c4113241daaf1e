package io.siyu.engine.reward;

import java.time.Instant;

import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.points.RedemptionResult;
import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.engine.refusal.Refusal;

/** The redemption process: pay after reserving, give the coupon back when the member's side refuses. */
class RewardRedemptionSagaTest {

    private static final Instant VALID_UNTIL = Instant.parse("2026-12-26T04:00:00Z");
    private static final RewardStockReserved RESERVED = new RewardStockReserved("RW-1", "满100减20券", "m-1", "R-1", 40, 1,
            "C-1", VALID_UNTIL, 4);
    private static final RedeemReward REDEEM = new RedeemReward("m-1", "R-1", "RW-1", "满100减20券", 40, 1, "C-1",
            VALID_UNTIL);

    private SagaTestFixture<RewardRedemptionSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(RewardRedemptionSaga.class);
    }

    @Test
    void aReservedCouponIsPaidForByTheMember() {
        fixture.setCallbackBehavior((command, metaData) -> new RedemptionResult(60, false, 4));
        fixture.givenNoPriorActivity()
                .whenPublishingA(RESERVED)
                .expectActiveSagas(1)
                .expectDispatchedCommands(REDEEM);
    }

    @Test
    void whenTheMemberCannotPayTheCouponGoesBackToTheStock() {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof RedeemReward) {
                throw new Refusal("insufficient-points", false, "Cannot redeem 40 points: the balance is 10",
                        java.util.Map.of()) {
                };
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenPublishingA(RESERVED)
                .expectDispatchedCommands(REDEEM, new ReleaseRewardStock("RW-1", "m-1", "R-1",
                        "insufficient-points: Cannot redeem 40 points: the balance is 10"));
    }

    @Test
    void theProcessEndsWhenTheMemberHoldsTheCoupon() {
        fixture.setCallbackBehavior((command, metaData) -> new RedemptionResult(60, false, 4));
        fixture.givenAPublished(RESERVED)
                .whenPublishingA(new RewardRedeemed("m-1", "R-1", "RW-1", "C-1", VALID_UNTIL))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void theProcessEndsWhenTheCouponIsBackInStock() {
        fixture.setCallbackBehavior((command, metaData) -> null);
        fixture.givenAPublished(RESERVED)
                .whenPublishingA(new RewardStockReleased("RW-1", "m-1", "R-1", "limit", 5))
                .expectActiveSagas(0);
    }

    @Test
    void anotherMembersRedemptionWithTheSameIdIsNotThisProcess() {
        fixture.setCallbackBehavior((command, metaData) -> new RedemptionResult(60, false, 4));
        fixture.givenAPublished(RESERVED)
                .whenPublishingA(new RewardRedeemed("m-2", "R-1", "RW-1", "C-9", VALID_UNTIL))
                .expectActiveSagas(1);
    }
}
