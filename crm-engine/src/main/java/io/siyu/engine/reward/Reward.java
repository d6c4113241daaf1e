package io.siyu.engine.reward;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.reward.DefineReward;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RestockReward;
import io.siyu.api.reward.RewardDefined;
import io.siyu.api.reward.RewardReservation;
import io.siyu.api.reward.RewardRestocked;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A coupon reward and its stock: its own aggregate, so the last coupon is handed out once however many members ask
 * at the same moment (commands on one reward are decided one at a time, and across nodes by the event store's
 * sequence check). A reservation is the first step of a redemption; {@link RewardRedemptionSaga} takes the points
 * from the member and gives the coupon back to the stock when the member's side refuses.
 */
@Aggregate(snapshotTriggerDefinition = "memberSnapshotTrigger")
class Reward {

    @AggregateIdentifier
    private String rewardId;
    private String name;
    private long pointsCost;
    private long stock;
    private long initialStock;
    private int perMemberLimit;
    private int validDays;
    private final Map<String, Claim> claims = new HashMap<>();
    /** Units each member holds (reserved or redeemed, not released): a member at the limit is refused before stock. */
    private final Map<String, Integer> heldByMember = new HashMap<>();
    private final Set<String> restocks = new HashSet<>();

    Reward() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    RewardDefined handle(DefineReward command) {
        RewardDefined defined = new RewardDefined(command.rewardId(), command.name(), command.pointsCost(),
                command.stock(), command.perMemberLimit(), command.validDays());
        if (rewardId != null) {
            if (!defined.equals(new RewardDefined(rewardId, name, pointsCost, initialStock, perMemberLimit,
                    validDays))) {
                throw new IdempotencyKeyReusedException("rewardId", command.rewardId());
            }
            return defined;
        }
        apply(defined);
        return defined;
    }

    @CommandHandler
    long handle(RestockReward command) {
        if (restocks.contains(command.restockId())) {
            return stock;
        }
        apply(new RewardRestocked(rewardId, command.restockId(), command.quantity(), stock + command.quantity()));
        return stock;
    }

    @CommandHandler
    RewardReservation handle(ReserveReward command, Clock clock) {
        String claimId = command.memberId() + "/" + command.redemptionId();
        Claim known = claims.get(claimId);
        if (known != null) {
            return new RewardReservation(known.couponCode(), known.releasedFor() != null, known.releasedFor(), true);
        }
        // A request that cannot succeed must not hold a unit: one over the member's limit is refused here, so a
        // member tapping ten times never makes the reward look sold out to anyone while units are free.
        if (heldByMember.getOrDefault(command.memberId(), 0) >= perMemberLimit) {
            throw new RewardRedemptionRefusedException(command.redemptionId(), "reward-limit-reached: at most "
                    + perMemberLimit + " of reward " + rewardId + " per member");
        }
        if (stock <= 0) {
            throw new RewardOutOfStockException(rewardId);
        }
        apply(new RewardStockReserved(rewardId, name, command.memberId(), command.redemptionId(), pointsCost,
                perMemberLimit, command.couponCode(), clock.instant().plus(Duration.ofDays(validDays)), stock - 1));
        return new RewardReservation(command.couponCode(), false, null, false);
    }

    @CommandHandler
    void handle(ReleaseRewardStock command) {
        Claim claim = claims.get(command.memberId() + "/" + command.redemptionId());
        if (claim == null || claim.releasedFor() != null) {
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
        restocks.add(event.restockId());
    }

    @EventSourcingHandler
    void on(RewardStockReserved event) {
        stock = event.stockAfter();
        claims.put(event.claimId(), new Claim(event.couponCode(), null));
        heldByMember.merge(event.memberId(), 1, Integer::sum);
    }

    @EventSourcingHandler
    void on(RewardStockReleased event) {
        stock = event.stockAfter();
        claims.computeIfPresent(event.claimId(), (id, claim) -> new Claim(claim.couponCode(), event.reason()));
        heldByMember.computeIfPresent(event.memberId(), (member, held) -> held > 1 ? held - 1 : null);
    }

    private record Claim(String couponCode, String releasedFor) {
    }
}
