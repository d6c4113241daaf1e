package io.siyu.engine.schedule;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierRetained;

/**
 * Files the due work events announce: a lot's expiry, a tier's next review, the end of a manual floor. A tracking
 * processor, so nothing announced is missed across restarts; filing the same work again changes nothing.
 */
@Component
@ProcessingGroup("due-work")
class DueWorkPlanner {

    private final DueWork dueWork;

    DueWorkPlanner(DueWork dueWork) {
        this.dueWork = dueWork;
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

    @EventHandler
    void on(TierFloorSet event) {
        dueWork.schedule(event.until(), DueWork.Kind.REVIEW_TIER, event.memberId());
    }
}
