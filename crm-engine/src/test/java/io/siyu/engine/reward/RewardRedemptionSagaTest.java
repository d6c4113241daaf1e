package io.siyu.engine.reward;

import java.time.Instant;

import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RewardPayment;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.RewardRedemptionHeld;
import io.siyu.api.reward.RewardReservation;
import io.siyu.api.reward.SettleRewardRedemption;

/**
 * The redemption process after the member holds the points: reserve a unit, have the member pay, end the redemption
 * unpaid when there is no unit, give the unit back when the member does not pay.
 */
class RewardRedemptionSagaTest {

    private static final Instant VALID_UNTIL = Instant.parse("2026-12-26T04:00:00Z");
    private static final RewardRedemptionHeld HELD = new RewardRedemptionHeld("m-1", "R-1", "RW-1", "满100减20券", 40, 1,
            "C-1");
    private static final ReserveReward RESERVE = new ReserveReward("RW-1", "m-1", "R-1", "C-1");
    private static final RedeemReward PAY = new RedeemReward("m-1", "R-1", "RW-1", "满100减20券", 40, "C-1",
            VALID_UNTIL);

    private SagaTestFixture<RewardRedemptionSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(RewardRedemptionSaga.class);
    }

    private void answer(RewardReservation reservation, RewardPayment payment) {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReserveReward) {
                if (reservation == null) {
                    throw new RewardOutOfStockException("RW-1");
                }
                return reservation;
            }
            return command instanceof RedeemReward ? payment : Boolean.FALSE;
        });
    }

    @Test
    void aHeldRedemptionReservesAUnitAndTheMemberPays() {
        answer(new RewardReservation("C-1", VALID_UNTIL, false, false), new RewardPayment(true, null, false));
        fixture.givenNoPriorActivity()
                .whenPublishingA(HELD)
                .expectActiveSagas(1)
                .expectDispatchedCommands(RESERVE, PAY);
    }

    @Test
    void withNoUnitLeftTheRedemptionEndsUnpaidAndNothingIsReserved() {
        answer(null, null);
        fixture.givenNoPriorActivity()
                .whenPublishingA(HELD)
                .expectDispatchedCommands(RESERVE, new SettleRewardRedemption("m-1", "R-1", "RW-1",
                        "reward-out-of-stock: Reward RW-1 is out of stock"));
    }

    @Test
    void whenTheMemberDoesNotPayTheUnitGoesBackToTheStock() {
        answer(new RewardReservation("C-1", VALID_UNTIL, false, false),
                new RewardPayment(false, "reservation-expired: late", true));
        fixture.givenNoPriorActivity()
                .whenPublishingA(HELD)
                .expectDispatchedCommands(RESERVE, PAY,
                        new ReleaseRewardStock("RW-1", "m-1", "R-1", "reservation-expired: late"));
    }

    @Test
    void whenTheMembersAccountRefusesToPayAtAllTheUnitGoesBackAndTheRedemptionEnds() {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReserveReward) {
                return new RewardReservation("C-1", VALID_UNTIL, false, false);
            }
            if (command instanceof RedeemReward) {
                throw new io.siyu.engine.member.MemberErasedException("m-1");
            }
            return Boolean.FALSE;
        });
        fixture.givenNoPriorActivity()
                .whenPublishingA(HELD)
                .expectDispatchedCommands(RESERVE, PAY,
                        new ReleaseRewardStock("RW-1", "m-1", "R-1", "member-erased"),
                        new SettleRewardRedemption("m-1", "R-1", "RW-1",
                                "member-erased: Member m-1 was erased and takes no further command"));
    }

    @Test
    void aUnitAlreadyGivenBackIsNotPaidFor() {
        answer(new RewardReservation("C-1", VALID_UNTIL, true, true), null);
        fixture.givenNoPriorActivity()
                .whenPublishingA(HELD)
                .expectDispatchedCommands(RESERVE, new SettleRewardRedemption("m-1", "R-1", "RW-1",
                        "reward-redemption-abandoned: the reserved coupon went back to the stock"));
    }

    @Test
    void theProcessEndsWhenTheMemberHoldsTheCouponOrTheRedemptionEndedUnpaid() {
        answer(new RewardReservation("C-1", VALID_UNTIL, false, false), new RewardPayment(true, null, false));
        fixture.givenAPublished(HELD)
                .whenPublishingA(new RewardRedeemed("m-1", "R-1", "RW-1", "C-1", VALID_UNTIL))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
        fixture.givenAPublished(HELD)
                .whenPublishingA(new RewardRedemptionAbandoned("m-1", "R-1", "RW-1", "reward-out-of-stock: none"))
                .expectActiveSagas(0);
    }

    @Test
    void anotherMembersRedemptionWithTheSameIdIsNotThisProcess() {
        answer(new RewardReservation("C-1", VALID_UNTIL, false, false), new RewardPayment(true, null, false));
        fixture.givenAPublished(HELD)
                .whenPublishingA(new RewardRedeemed("m-2", "R-1", "RW-1", "C-9", VALID_UNTIL))
                .expectActiveSagas(1);
    }

}
