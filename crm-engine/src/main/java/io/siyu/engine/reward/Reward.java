package io.siyu.engine.reward;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

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
import io.siyu.engine.member.RecordedFacts;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A coupon reward and its stock: its own aggregate, so the last coupon is handed out once however many members ask
 * at the same moment (commands on one reward are decided one at a time, and across nodes by the event store's
 * sequence check). A reservation is the second step of a redemption: the member has already held the points and
 * checked its per-member limit ({@code HoldRewardRedemption}), so only a request that can succeed takes a unit;
 * {@link RewardRedemptionSaga} reserves, has the member pay, and gives the unit back when the member does not.
 * <p>
 * Its state is its terms and its stock, whatever the number of redemptions: which reservations, releases and
 * restocks happened is kept in the commits that recorded them (their idempotency keys, {@link RecordedFacts}) and
 * looked up there on a retry.
 */
@Aggregate(snapshotTriggerDefinition = "memberSnapshotTrigger")
@Revision("2")
class Reward {

    @AggregateIdentifier
    private String rewardId;
    private String name;
    private long pointsCost;
    private long stock;
    private long initialStock;
    private int perMemberLimit;
    private int validDays;

    Reward() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    /** @return {@code true} when defined now, {@code false} when the same definition was made before */
    boolean handle(DefineReward command) {
        RewardDefined defined = new RewardDefined(command.rewardId(), command.name(), command.pointsCost(),
                command.stock(), command.perMemberLimit(), command.validDays());
        if (rewardId != null) {
            if (!defined.equals(new RewardDefined(rewardId, name, pointsCost, initialStock, perMemberLimit,
                    validDays))) {
                throw new IdempotencyKeyReusedException("rewardId", command.rewardId());
            }
            return false;
        }
        apply(defined);
        return true;
    }

    /** A restock id used again answers the current stock if it named the same quantity, and is refused if not. */
    @CommandHandler
    RewardRestock handle(RestockReward command, RecordedFacts facts) {
        List<Object> earlier = facts.carrying(rewardId, "restock:" + command.restockId());
        if (!earlier.isEmpty()) {
            boolean same = earlier.stream().filter(RewardRestocked.class::isInstance).map(RewardRestocked.class::cast)
                    .anyMatch(restocked -> restocked.quantity() == command.quantity());
            if (!same) {
                throw new IdempotencyKeyReusedException("restockId", command.restockId());
            }
            return new RewardRestock(stock, true);
        }
        apply(new RewardRestocked(rewardId, command.restockId(), command.quantity(), stock + command.quantity()));
        return new RewardRestock(stock, false);
    }

    @CommandHandler
    RewardReservation handle(ReserveReward command, RecordedFacts facts, Clock clock) {
        String claimId = command.memberId() + "/" + command.redemptionId();
        List<Object> earlier = facts.carrying(rewardId, "claim:" + claimId);
        if (!earlier.isEmpty()) {
            RewardStockReserved reserved = earlier.stream().filter(RewardStockReserved.class::isInstance)
                    .map(RewardStockReserved.class::cast).findFirst().orElseThrow();
            boolean released = !facts.carrying(rewardId, "release:" + claimId).isEmpty();
            return new RewardReservation(reserved.couponCode(), reserved.validUntil(), released, true);
        }
        if (stock <= 0) {
            throw new RewardOutOfStockException(rewardId);
        }
        Instant validUntil = clock.instant().plus(Duration.ofDays(validDays));
        apply(new RewardStockReserved(rewardId, name, command.memberId(), command.redemptionId(), pointsCost,
                perMemberLimit, command.couponCode(), validUntil, stock - 1));
        return new RewardReservation(command.couponCode(), validUntil, false, false);
    }

    /** Gives a reserved unit back; nothing when this redemption never reserved one or already gave it back. */
    @CommandHandler
    void handle(ReleaseRewardStock command, RecordedFacts facts) {
        String claimId = command.memberId() + "/" + command.redemptionId();
        if (facts.carrying(rewardId, "claim:" + claimId).isEmpty()
                || !facts.carrying(rewardId, "release:" + claimId).isEmpty()) {
            return;
        }
        apply(new RewardStockReleased(rewardId, command.memberId(), command.redemptionId(), command.reason(),
                stock + 1));
    }

    @EventSourcingHandler
    void on(RewardDefined event) {
        rewardId = event.rewardId();
        name = event.name();
        pointsCost = event.pointsCost();
        stock = event.stock();
        initialStock = event.stock();
        perMemberLimit = event.perMemberLimit();
        validDays = event.validDays();
    }

    @EventSourcingHandler
    void on(RewardRestocked event) {
        stock = event.stockAfter();
    }

    @EventSourcingHandler
    void on(RewardStockReserved event) {
        stock = event.stockAfter();
    }

    @EventSourcingHandler
    void on(RewardStockReleased event) {
        stock = event.stockAfter();
    }
}
