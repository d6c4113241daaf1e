package io.siyu.engine.member.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.siyu.api.member.MemberRegistered;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorEnded;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierRetained;
import io.siyu.engine.points.PointLedger;
import io.siyu.engine.tier.Qualifying;
import io.siyu.engine.tier.TierBasis;
import io.siyu.engine.tier.TierQualificationPolicy;

/**
 * A member's points and tier folded from their events, by the same ledger the aggregate decides with, so an as-of
 * answer agrees with what the aggregate knew at that instant.
 */
public final class MemberStanding {

    private boolean registered;
    private Instant registeredAt;
    private final PointLedger ledger = new PointLedger();
    private long lifetimeEarned;
    private long lifetimeRedeemed;
    private final Map<String, Order> orders = new HashMap<>();
    private String tier;
    private Instant tierSince;
    private Instant nextReviewAt;
    private String floorTier;
    private Instant floorUntil;

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"occurredAt", "amountFen", "refundedFen", "points", "reversed"})
    record Order(Instant occurredAt, long amountFen, long refundedFen, long points, long reversed) {
    }

    void apply(Object event, Instant at) {
        if (event instanceof MemberRegistered) {
            registered = true;
            registeredAt = at;
        } else if (event instanceof PurchaseRecorded purchase) {
            orders.put(purchase.orderId(), new Order(purchase.occurredAt(), purchase.amountFen(), 0, 0, 0));
        } else if (event instanceof PurchaseRefunded refund) {
            orders.computeIfPresent(refund.orderId(), (id, order) -> new Order(order.occurredAt(), order.amountFen(),
                    refund.refundedTotalFen(), order.points(), order.reversed()));
        } else if (event instanceof PointsEarned earned) {
            ledger.earned(earned.lotId(), earned.points(), earned.debtRepaid(), earned.expiresAt());
            lifetimeEarned += earned.points();
            if (earned.source() == PointSource.PURCHASE) {
                orders.computeIfPresent(earned.sourceId(), (id, order) -> new Order(order.occurredAt(),
                        order.amountFen(), order.refundedFen(), order.points() + earned.points(), order.reversed()));
            }
        } else if (event instanceof PointsReversed reversed) {
            ledger.took(reversed.lots());
            ledger.owes(reversed.debtIncurred());
            orders.computeIfPresent(reversed.orderId(), (id, order) -> new Order(order.occurredAt(), order.amountFen(),
                    order.refundedFen(), order.points(), order.reversed() + reversed.points() + reversed.debtIncurred()));
        } else if (event instanceof PointsRedeemed redeemed) {
            ledger.took(redeemed.lots());
            lifetimeRedeemed += redeemed.points();
        } else if (event instanceof PointsExpired expired) {
            ledger.took(expired.lots());
        } else if (event instanceof PointsAdjusted adjusted) {
            if (adjusted.points() > 0) {
                ledger.earned("adjustment:" + adjusted.adjustmentId(), adjusted.points(), adjusted.debtRepaid(),
                        adjusted.expiresAt());
            } else {
                ledger.took(adjusted.lots());
            }
        } else if (event instanceof TierChanged changed) {
            tier = changed.to();
            tierSince = at;
            nextReviewAt = changed.nextReviewAt();
        } else if (event instanceof TierRetained retained) {
            nextReviewAt = retained.nextReviewAt();
        } else if (event instanceof TierFloorSet floor) {
            floorTier = floor.tier();
            floorUntil = floor.until();
        } else if (event instanceof TierFloorEnded) {
            floorTier = null;
            floorUntil = null;
        }
    }

    boolean registered() {
        return registered;
    }

    /**
     * Forgets orders that happened before {@code horizon}: no answer at or after the instant the horizon was taken
     * for counts them (qualifying windows only move forward).
     */
    void forgetOrdersBefore(Instant horizon) {
        orders.values().removeIf(order -> order.occurredAt().isBefore(horizon));
    }

    public PointLedger ledger() {
        return ledger;
    }

    public long lifetimeEarned() {
        return lifetimeEarned;
    }

    public long lifetimeRedeemed() {
        return lifetimeRedeemed;
    }

    public String tier(TierQualificationPolicy qualification) {
        return tier == null ? qualification.base().code() : tier;
    }

    public Instant tierSince() {
        return tierSince == null ? registeredAt : tierSince;
    }

    public Instant nextReviewAt() {
        return nextReviewAt;
    }

    /** The manual floor in force at {@code at}, if any. */
    public Optional<Floor> floorAt(Instant at) {
        return floorTier != null && at.isBefore(floorUntil) ? Optional.of(new Floor(floorTier, floorUntil))
                : Optional.empty();
    }

    /** A manual tier floor. */
    public record Floor(String tier, Instant until) {
    }

    /** Net spend and purchase points of orders that happened in {@code [from, to]}. */
    public Qualifying qualifying(Instant from, Instant to) {
        long spend = 0;
        long points = 0;
        for (Order order : orders.values()) {
            if (!order.occurredAt().isBefore(from) && !order.occurredAt().isAfter(to)) {
                spend += order.amountFen() - order.refundedFen();
                points += order.points() - order.reversed();
            }
        }
        return new Qualifying(spend, points);
    }

    /**
     * When the oldest order that still counts in {@code [from, to]} happened: the first whose leaving the window
     * lowers the total. A fully refunded order (or one whose points were all reversed, on the points basis) counts
     * for nothing, so its leaving is no deadline.
     */
    public Optional<Instant> oldestCounted(Instant from, Instant to, TierBasis basis) {
        return orders.values().stream()
                .filter(order -> basis == TierBasis.SPEND
                        ? order.amountFen() - order.refundedFen() > 0 : order.points() - order.reversed() > 0)
                .map(Order::occurredAt)
                .filter(at -> !at.isBefore(from) && !at.isAfter(to)).min(Instant::compareTo);
    }
}
