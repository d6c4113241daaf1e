package io.siyu.engine.reward;

import java.time.Instant;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siyu.api.reward.DefineReward;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RestockReward;
import io.siyu.api.reward.RewardDefined;
import io.siyu.api.reward.RewardReservation;
import io.siyu.api.reward.RewardRestock;
import io.siyu.api.reward.RewardRestocked;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.engine.member.FixtureFacts;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;
import io.siyu.engine.support.SettableClock;

/**
 * A reward's stock: reservations, release, restock, and the refusals. Which reservations, releases and restocks
 * happened is looked up in the commits that carry their keys, not held in the reward's state.
 */
class RewardTest {

    private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");
    private static final RewardDefined DEFINED = new RewardDefined("RW-1", "满100减20券", 40, 1, 1, 30);
    private static final RewardStockReserved RESERVED = new RewardStockReserved("RW-1", "满100减20券", "m-1", "R-1", 40,
            1, "C-1", NOW.plusSeconds(30L * 86_400), 0);

    private AggregateTestFixture<Reward> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Reward.class);
        fixture.registerInjectableResource(new SettableClock(NOW));
        fixture.registerInjectableResource(new FixtureFacts(fixture.getEventStore()));
    }

    @Test
    void definingARewardPutsItInTheCatalogueAndTheSameDefinitionAgainIsADuplicate() {
        fixture.givenNoPriorActivity()
                .when(new DefineReward("RW-1", "满100减20券", 40, 1, 1, 30))
                .expectEvents(DEFINED);
        fixture.given(DEFINED).when(new DefineReward("RW-1", "满100减20券", 40, 1, 1, 30)).expectNoEvents();
        fixture.given(DEFINED).when(new DefineReward("RW-1", "满100减20券", 50, 1, 1, 30))
                .expectException(IdempotencyKeyReusedException.class);
    }

    @Test
    void theLastCouponIsReservedOnceAndThenTheRewardIsOutOfStock() {
        fixture.given(DEFINED)
                .when(new ReserveReward("RW-1", "m-1", "R-1", "C-1"))
                .expectEvents(RESERVED)
                .expectResultMessagePayload(new RewardReservation("C-1", NOW.plusSeconds(30L * 86_400), false, false));
        fixture.given(DEFINED, RESERVED)
                .when(new ReserveReward("RW-1", "m-2", "R-1", "C-2"))
                .expectNoEvents()
                .expectException(RewardOutOfStockException.class);
    }

    @Test
    void theSameReservationAgainAnswersTheSameCoupon() {
        fixture.given(DEFINED, RESERVED)
                .when(new ReserveReward("RW-1", "m-1", "R-1", "C-other"))
                .expectNoEvents()
                .expectResultMessagePayload(new RewardReservation("C-1", NOW.plusSeconds(30L * 86_400), false, true));
    }

    @Test
    void aReservationAskedForAfterItsUnitWentBackSaysSo() {
        fixture.given(DEFINED, RESERVED, new RewardStockReleased("RW-1", "m-1", "R-1", "insufficient-points", 1))
                .when(new ReserveReward("RW-1", "m-1", "R-1", "C-1"))
                .expectNoEvents()
                .expectResultMessagePayload(new RewardReservation("C-1", NOW.plusSeconds(30L * 86_400), true, true));
    }

    @Test
    void releasingWhatWasNeverReservedChangesNothing() {
        fixture.given(DEFINED)
                .when(new ReleaseRewardStock("RW-1", "m-1", "R-1", "reservation-expired"))
                .expectNoEvents();
    }

    @Test
    void aReleasedCouponGoesBackToTheStockOnce() {
        fixture.given(DEFINED, RESERVED)
                .when(new ReleaseRewardStock("RW-1", "m-1", "R-1", "insufficient-points"))
                .expectEvents(new RewardStockReleased("RW-1", "m-1", "R-1", "insufficient-points", 1));
        fixture.given(DEFINED, RESERVED, new RewardStockReleased("RW-1", "m-1", "R-1", "insufficient-points", 1))
                .when(new ReleaseRewardStock("RW-1", "m-1", "R-1", "insufficient-points"))
                .expectNoEvents();
    }

    @Test
    void restockingAddsCouponsOncePerRestockId() {
        fixture.given(DEFINED, RESERVED)
                .when(new RestockReward("RW-1", "S-1", 10))
                .expectEvents(new RewardRestocked("RW-1", "S-1", 10, 10));
        fixture.given(DEFINED, new RewardRestocked("RW-1", "S-1", 10, 11))
                .when(new RestockReward("RW-1", "S-1", 10))
                .expectNoEvents()
                .expectResultMessagePayload(new RewardRestock(11, true));
        fixture.given(DEFINED, new RewardRestocked("RW-1", "S-1", 10, 11))
                .when(new RestockReward("RW-1", "S-1", 7))
                .expectNoEvents()
                .expectException(IdempotencyKeyReusedException.class);
    }
}
