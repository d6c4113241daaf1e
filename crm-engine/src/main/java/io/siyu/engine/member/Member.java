package io.siyu.engine.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.checkin.CheckInRewards;
import io.siyu.engine.checkin.CheckInStreak;
import io.siyu.engine.points.BaseEarningRule;
import io.siyu.engine.points.RefundReversal;

/**
 * One member's loyalty account: purchases, refunds, points and check-ins on one event stream, so that every rule
 * about the balance is decided against one consistent state. Idempotency keys (order, refund and redemption ids)
 * are remembered with the answer they got, so a retry is answered the same and writes nothing.
 */
@Aggregate(snapshotTriggerDefinition = "memberSnapshotTrigger")
class Member {

    @AggregateIdentifier
    private String memberId;
    private long balance;
    private final Map<String, Order> orders = new HashMap<>();
    private final Map<String, Refund> refunds = new HashMap<>();
    private final Map<String, Redemption> redemptions = new HashMap<>();
    private LocalDate lastCheckInDay;
    private int streak;
    private long lastCheckInPoints;

    Member() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    MemberRegistration handle(RegisterMember command) {
        if (memberId != null) {
            return new MemberRegistration(memberId, false, version());
        }
        apply(new MemberRegistered(command.memberId(), command.openid(), command.unionid(), command.phoneHash(),
                command.phoneMasked(), command.nickname()));
        return new MemberRegistration(memberId, true, version());
    }

    @CommandHandler
    PurchaseResult handle(RecordPurchase command, BaseEarningRule earningRule) {
        Order known = orders.get(command.orderId());
        if (known != null) {
            if (!known.matches(command)) {
                throw new IdempotencyKeyReusedException("orderId", command.orderId());
            }
            return new PurchaseResult(known.pointsEarned(), known.balanceAfter(), true, version());
        }
        long points = earningRule.pointsFor(command.amountFen());
        apply(new PurchaseRecorded(memberId, command.orderId(), command.amountFen(), command.storeId(),
                command.channel(), command.occurredAt()));
        if (points > 0) {
            apply(new PointsEarned(memberId, points, balance + points, PointSource.PURCHASE, command.orderId(),
                    earningRule.name()));
        }
        return new PurchaseResult(points, balance, false, version());
    }

    @CommandHandler
    RefundResult handle(RefundPurchase command) {
        Refund known = refunds.get(command.refundId());
        if (known != null) {
            if (!known.orderId().equals(command.orderId()) || known.amountFen() != command.amountFen()) {
                throw new IdempotencyKeyReusedException("refundId", command.refundId());
            }
            return new RefundResult(known.pointsReversed(), known.balanceAfter(), true, version());
        }
        Order order = orders.get(command.orderId());
        if (order == null) {
            throw new UnknownOrderException(command.orderId());
        }
        long refundable = order.amountFen() - order.refundedFen();
        if (command.amountFen() > refundable) {
            throw new RefundExceedsPurchaseException(command.orderId(), command.amountFen(), refundable);
        }
        long refundedAfter = order.refundedFen() + command.amountFen();
        long toReverse = RefundReversal.pointsToReverse(order.pointsEarned(), order.amountFen(), order.refundedFen(),
                refundedAfter);
        apply(new PurchaseRefunded(memberId, command.orderId(), command.refundId(), command.amountFen(),
                refundedAfter));
        if (toReverse > 0) {
            long taken = Math.min(toReverse, balance);
            apply(new PointsReversed(memberId, command.orderId(), command.refundId(), taken, toReverse - taken,
                    balance - taken));
        }
        Refund refund = refunds.get(command.refundId());
        return new RefundResult(refund.pointsReversed(), refund.balanceAfter(), false, version());
    }

    @CommandHandler
    RedemptionResult handle(RedeemPoints command) {
        Redemption known = redemptions.get(command.redemptionId());
        if (known != null) {
            if (known.points() != command.points()) {
                throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
            }
            return new RedemptionResult(known.balanceAfter(), true, version());
        }
        if (command.points() > balance) {
            throw new InsufficientPointsException(balance, command.points());
        }
        apply(new PointsRedeemed(memberId, command.redemptionId(), command.points(), command.reason(),
                balance - command.points()));
        return new RedemptionResult(balance, false, version());
    }

    @CommandHandler
    CheckInResult handle(CheckIn command, BusinessCalendar calendar, CheckInRewards rewards) {
        LocalDate day = calendar.dayOf(command.at());
        if (day.equals(lastCheckInDay)) {
            return new CheckInResult(streak, lastCheckInPoints, true, balance, version());
        }
        if (lastCheckInDay != null && day.isBefore(lastCheckInDay)) {
            throw new CheckInOutOfOrderException(day, lastCheckInDay);
        }
        int newStreak = CheckInStreak.next(lastCheckInDay, streak, day);
        long points = rewards.pointsFor(newStreak);
        apply(new CheckedIn(memberId, day, newStreak, command.at()));
        if (points > 0) {
            apply(new PointsEarned(memberId, points, balance + points, PointSource.CHECK_IN, day.toString(),
                    rewards.ruleFor(newStreak)));
        }
        return new CheckInResult(newStreak, points, false, balance, version());
    }

    private static long version() {
        Long version = AggregateLifecycle.getVersion();
        return version == null ? -1 : version;
    }

    @EventSourcingHandler
    void on(MemberRegistered event) {
        memberId = event.memberId();
    }

    @EventSourcingHandler
    void on(PurchaseRecorded event) {
        orders.put(event.orderId(), new Order(event.amountFen(), event.storeId(), event.channel(), 0, balance, 0));
    }

    @EventSourcingHandler
    void on(PointsEarned event) {
        balance = event.balanceAfter();
        if (event.source() == PointSource.PURCHASE) {
            orders.computeIfPresent(event.sourceId(), (id, order) -> order.earned(event.points(), event.balanceAfter()));
        } else if (event.source() == PointSource.CHECK_IN) {
            lastCheckInPoints = event.points();
        }
    }

    @EventSourcingHandler
    void on(PurchaseRefunded event) {
        orders.computeIfPresent(event.orderId(), (id, order) -> order.refundedUpTo(event.refundedTotalFen()));
        refunds.put(event.refundId(), new Refund(event.orderId(), event.amountFen(), 0, balance));
    }

    @EventSourcingHandler
    void on(PointsReversed event) {
        balance = event.balanceAfter();
        refunds.computeIfPresent(event.refundId(), (id, refund) -> refund.reversed(event.points(), event.balanceAfter()));
    }

    @EventSourcingHandler
    void on(PointsRedeemed event) {
        balance = event.balanceAfter();
        redemptions.put(event.redemptionId(), new Redemption(event.points(), event.balanceAfter()));
    }

    @EventSourcingHandler
    void on(CheckedIn event) {
        lastCheckInDay = event.day();
        streak = event.streak();
        lastCheckInPoints = 0;
    }

    /** What a recorded order needs for refunds and for answering a retry. */
    private record Order(long amountFen, String storeId, SalesChannel channel, long pointsEarned, long balanceAfter,
                         long refundedFen) {

        private boolean matches(RecordPurchase command) {
            return amountFen == command.amountFen() && Objects.equals(storeId, command.storeId())
                    && channel == command.channel();
        }

        private Order earned(long points, long balance) {
            return new Order(amountFen, storeId, channel, pointsEarned + points, balance, refundedFen);
        }

        private Order refundedUpTo(long refundedTotalFen) {
            return new Order(amountFen, storeId, channel, pointsEarned, balanceAfter, refundedTotalFen);
        }
    }

    private record Refund(String orderId, long amountFen, long pointsReversed, long balanceAfter) {

        private Refund reversed(long points, long balance) {
            return new Refund(orderId, amountFen, points, balance);
        }
    }

    private record Redemption(long points, long balanceAfter) {
    }
}
