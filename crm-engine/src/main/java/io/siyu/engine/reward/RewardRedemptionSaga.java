package io.siyu.engine.reward;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RewardPayment;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.RewardRedemptionHeld;
import io.siyu.api.reward.RewardReservation;
import io.siyu.api.reward.SettleRewardRedemption;
import io.siyu.engine.refusal.Refusal;

/**
 * Carries a reward redemption from the member's hold to its end: once the member holds the points
 * ({@link RewardRedemptionHeld}), a unit is reserved from the reward; if there is none, the redemption ends unpaid
 * and the points are free again; if there is, the member pays, and if the member does not (the redemption already
 * ended, or its points fell short meanwhile) the unit goes back. The member never pays without a coupon and the
 * stock never loses a coupon nobody paid for.
 * <p>
 * Commands are sent and awaited inside the event handler, each idempotent by the redemption id: if this node dies in
 * between, the (tracking) saga processor delivers the event again and every step answers as it did. If this saga
 * cannot run at all, the redemption's own deadline (due work) ends it and gives any reserved unit back.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class RewardRedemptionSaga {

    private static final String CLAIM = "claimId";

    @Autowired
    private transient CommandGateway commandGateway;

    private String rewardId;
    private String memberId;
    private String redemptionId;

    /** Axon creates sagas reflectively, from its own package. */
    public RewardRedemptionSaga() {
        // for Axon
    }

    @StartSaga
    @SagaEventHandler(associationProperty = CLAIM)
    void on(RewardRedemptionHeld event) {
        rewardId = event.rewardId();
        memberId = event.memberId();
        redemptionId = event.redemptionId();
        RewardReservation reservation;
        try {
            reservation = commandGateway.sendAndWait(new ReserveReward(rewardId, memberId, redemptionId,
                    event.couponCode()));
        } catch (Refusal refusal) {
            endUnpaid(refusal.type() + ": " + refusal.getMessage());
            return;
        } catch (AggregateNotFoundException unknownReward) {
            endUnpaid("unknown-reward: there is no reward " + rewardId);
            return;
        }
        if (reservation.released()) {
            // reserved before and given back already: the redemption has ended (or is ending) unpaid
            endUnpaid("reward-redemption-abandoned: the reserved coupon went back to the stock");
            return;
        }
        RewardPayment payment;
        try {
            payment = commandGateway.sendAndWait(new RedeemReward(memberId, redemptionId, rewardId,
                    event.rewardName(), event.points(), reservation.couponCode(), reservation.validUntil()));
        } catch (Refusal refusal) {
            // the member's account refused to pay at all (e.g. the member was erased meanwhile)
            commandGateway.sendAndWait(new ReleaseRewardStock(rewardId, memberId, redemptionId, refusal.type()));
            endUnpaid(refusal.type() + ": " + refusal.getMessage());
            return;
        }
        if (!payment.paid()) {
            commandGateway.sendAndWait(new ReleaseRewardStock(rewardId, memberId, redemptionId, payment.reason()));
        }
    }

    private void endUnpaid(String reason) {
        commandGateway.sendAndWait(new SettleRewardRedemption(memberId, redemptionId, rewardId, reason));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = CLAIM)
    void on(RewardRedeemed event) {
        // the member paid and holds the coupon: done
    }

    @EndSaga
    @SagaEventHandler(associationProperty = CLAIM)
    void on(RewardRedemptionAbandoned event) {
        // ended unpaid; a unit reserved for it was given back by this saga or by the deadline: done
    }
}
