package io.siyu.engine.schedule;

import org.axonframework.config.ProcessingGroup;
import java.time.Instant;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.reward.RewardRedemptionHeld;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierRetained;

/**
 * Files the due work events announce: a lot's expiry, a tier's next review, the end of a manual floor, a reserved
 * coupon's deadline. A tracking
 * processor, so nothing announced is missed across restarts; filing the same work again changes nothing.
 */
@Component
@ProcessingGroup("due-work")
class DueWorkPlanner {

    private final DueWork dueWork;
    private final ScheduleProperties properties;

    DueWorkPlanner(DueWork dueWork, ScheduleProperties properties) {
        this.dueWork = dueWork;
        this.properties = properties;
    }

    @EventHandler
    void on(PointsEarned event) {
        if (event.expiresAt() != null && event.lotPoints() > 0) {
            dueWork.schedule(event.expiresAt(), DueWork.Kind.EXPIRE_POINTS, event.memberId());
        }
    }

    @EventHandler
    void on(PointsAdjusted event) {
        if (event.expiresAt() != null && event.points() - event.debtRepaid() > 0) {
            dueWork.schedule(event.expiresAt(), DueWork.Kind.EXPIRE_POINTS, event.memberId());
        }
    }

    @EventHandler
    void on(TierChanged event) {
        if (event.nextReviewAt() != null) {
            dueWork.schedule(event.nextReviewAt(), DueWork.Kind.REVIEW_TIER, event.memberId());
        }
    }

    @EventHandler
    void on(TierRetained event) {
        dueWork.schedule(event.nextReviewAt(), DueWork.Kind.REVIEW_TIER, event.memberId());
    }

    /**
     * A reward redemption is paid within the reservation timeout of its hold, or it ends unpaid and any unit reserved
     * for it goes back to the stock (for any reason).
     */
    @EventHandler
    void on(RewardRedemptionHeld event, @Timestamp Instant heldAt) {
        dueWork.scheduleSettlement(heldAt.plus(properties.reservationTimeout()), event.memberId(),
                event.rewardId(), event.redemptionId());
    }

    /**
     * A reserved unit has its own deadline too: a reservation made before redemptions held the member's points first
     * (no hold, so no deadline from one, and no saga of today's kind to carry it) still goes back if never paid. For a
     * reservation of a held redemption this files the same settlement a second time, which settles nothing twice.
     */
    @EventHandler
    void on(RewardStockReserved event, @Timestamp Instant reservedAt) {
        dueWork.scheduleSettlement(reservedAt.plus(properties.reservationTimeout()), event.memberId(),
                event.rewardId(), event.redemptionId());
    }

    @EventHandler
    void on(TierFloorSet event) {
        dueWork.schedule(event.until(), DueWork.Kind.REVIEW_TIER, event.memberId());
    }
}
