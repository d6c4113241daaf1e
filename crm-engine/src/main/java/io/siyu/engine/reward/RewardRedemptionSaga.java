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
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.engine.refusal.Refusal;

/**
 * Keeps a member and a reward's stock consistent through a redemption: once a coupon is reserved, the member is
 * asked to pay for it; if the member's side refuses (points short, limit reached, no such member), the coupon goes
 * back to the stock. The member never pays without a coupon and the stock never loses a coupon nobody paid for.
 * <p>
 * Commands are sent and awaited inside the event handler: if this node dies in between, the (tracking) saga
 * processor delivers the event again, and both commands are idempotent by the redemption id.
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
    void on(RewardStockReserved event) {
        rewardId = event.rewardId();
        memberId = event.memberId();
        redemptionId = event.redemptionId();
        try {
            commandGateway.sendAndWait(new RedeemReward(event.memberId(), event.redemptionId(), event.rewardId(),
                    event.rewardName(), event.pointsCost(), event.perMemberLimit(), event.couponCode(),
                    event.validUntil()));
        } catch (Refusal refusal) {
            release(refusal.type() + ": " + refusal.getMessage());
        } catch (AggregateNotFoundException unknownMember) {
            release("unknown-member: there is no member " + memberId);
        }
    }

    private void release(String reason) {
        commandGateway.sendAndWait(new ReleaseRewardStock(rewardId, memberId, redemptionId, reason));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = CLAIM)
    void on(RewardRedeemed event) {
        // the member paid and holds the coupon: done
    }

    @EndSaga
    @SagaEventHandler(associationProperty = CLAIM)
    void on(RewardStockReleased event) {
        // the coupon is back in the stock and the member paid nothing: done
    }
}
