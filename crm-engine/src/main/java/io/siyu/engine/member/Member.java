package io.siyu.engine.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.BindPhone;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.PhoneBinding;
import io.siyu.api.member.PhoneBound;
import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.AdjustPoints;
import io.siyu.api.points.AdjustmentResult;
import io.siyu.api.points.ExpirePoints;
import io.siyu.api.points.ExpiryResult;
import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.purchase.PurchaseLine;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.SettleRewardRedemption;
import io.siyu.api.tier.OverrideTier;
import io.siyu.api.tier.ReviewTier;
import io.siyu.api.tier.TierChangeCause;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorEnded;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierResult;
import io.siyu.api.tier.TierRetained;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.checkin.CheckInStreak;
import io.siyu.engine.points.PointLedger;
import io.siyu.engine.points.PointsExpiryPolicy;
import io.siyu.engine.points.RefundWindow;
import io.siyu.engine.points.RefundReversal;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;
import io.siyu.engine.tier.Qualifying;
import io.siyu.engine.tier.TierLevel;
import io.siyu.engine.tier.TierQualificationPolicy;
import io.siyu.engine.tier.TierRetentionPolicy;

/**
 * One member's loyalty account: purchases, refunds, point lots, check-ins, tier and coupons on one event stream, so
 * that every rule about them is decided against one consistent state. Idempotency keys (order, refund, redemption,
 * adjustment and override ids) are remembered with the answer they got, so a retry is answered the same and writes
 * nothing.
 * <p>
 * Every command first records the expiry of lots whose time has come, so no decision ever uses expired points,
 * whether or not the scheduled expiry has run yet.
 */
@Aggregate(snapshotTriggerDefinition = "memberSnapshotTrigger")
// The snapshot's shape: raise it whenever a field changes, so that older snapshots are ignored (the state is folded
// from the events again) instead of being read into the wrong shape.
@Revision("1")
class Member {

    @AggregateIdentifier
    private String memberId;
    private String phoneHash;
    private final PointLedger ledger = new PointLedger();
    private final Map<String, Order> orders = new HashMap<>();
    private final Map<String, Refund> refunds = new HashMap<>();
    private final Map<String, Redemption> redemptions = new HashMap<>();
    private final Map<String, Adjustment> adjustments = new HashMap<>();
    private final Map<String, Integer> couponsByReward = new HashMap<>();
    private LocalDate lastCheckInDay;
    private int streak;
    private long lastCheckInPoints;
    private String tier;
    private Instant nextReviewAt;
    private Floor floor;
    private final Map<String, Floor> overrides = new HashMap<>();
    @AggregateMember
    private final MemberRelations relations = new MemberRelations();

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
                command.phoneMasked(), command.nickname(),
                command.channel() == null ? SalesChannel.MINI_PROGRAM : command.channel(), command.storeId()));
        return new MemberRegistration(memberId, true, version());
    }

    @CommandHandler
    PhoneBinding handle(BindPhone command) {
        if (command.phoneHash().equals(phoneHash)) {
            return new PhoneBinding(command.phoneMasked(), false, version());
        }
        apply(new PhoneBound(memberId, command.phoneHash(), command.phoneMasked(), command.source()));
        return new PhoneBinding(command.phoneMasked(), true, version());
    }

    @CommandHandler
    PurchaseResult handle(RecordPurchase command, EarningRuleCatalog rules, PointsExpiryPolicy expiry,
                          TierQualificationPolicy qualification, TierRetentionPolicy retention, Clock clock) {
        Order known = orders.get(command.orderId());
        if (known != null) {
            if (!known.matches(command)) {
                throw new IdempotencyKeyReusedException("orderId", command.orderId());
            }
            return new PurchaseResult(known.pointsEarned(), known.balanceAfter(), true, version());
        }
        Instant now = clock.instant();
        expireDueLots(now);
        EarningRuleSet ruleSet = rules.inEffectAt(command.occurredAt());
        EarningRuleSet.Earning earning = ruleSet.forPurchase(new EarningRuleSet.Purchase(command.amountFen(),
                command.lines(), command.storeId(), command.channel(), command.occurredAt(), currentTier(qualification)));
        apply(new PurchaseRecorded(memberId, command.orderId(), command.amountFen(), command.storeId(),
                command.channel(), command.occurredAt(), command.lines()));
        // A sale's points expire by when it happened (what members are told), not by when it was recorded: a sale
        // uploaded after its points would have expired earns and expires in this one commit, both in the history.
        earn(earning, PointSource.PURCHASE, command.orderId(), "purchase:" + command.orderId(), ruleSet.version(),
                now, expiry.expiresAt(command.occurredAt()));
        expireDueLots(now);
        String from = currentTier(qualification);
        // a sale stamped a little ahead of this node's clock (allowed skew) still counts toward the upgrade it makes
        Instant qualifyingAt = command.occurredAt().isAfter(now) ? command.occurredAt() : now;
        Qualifying qualifying = qualifyingAt(qualifyingAt, qualification);
        qualification.upgrade(from, qualifying).ifPresent(to -> apply(new TierChanged(memberId, from, to.code(),
                TierChangeCause.QUALIFIED, "qualifying " + qualification.amount(qualifying.on(qualification.basis()))
                + " reaches " + to.code() + " (" + qualification.amount(to.threshold()) + ")", null,
                qualifying.spendFen(), qualifying.points(), retention.nextReview(now))));
        return new PurchaseResult(earning.points(), ledger.balance(), false, version());
    }

    @CommandHandler
    RefundResult handle(RefundPurchase command, RefundWindow refundWindow, Clock clock) {
        Refund known = refunds.get(command.refundId());
        if (known != null) {
            if (!known.orderId().equals(command.orderId()) || known.amountFen() != command.amountFen()) {
                throw new IdempotencyKeyReusedException("refundId", command.refundId());
            }
            return new RefundResult(known.pointsReversed(), known.debtIncurred(), known.balanceAfter(), true,
                    version());
        }
        Order order = orders.get(command.orderId());
        if (order == null) {
            throw new UnknownOrderException(command.orderId());
        }
        if (refundWindow.closedFor(order.occurredAt(), clock.instant())) {
            throw new RefundWindowClosedException(command.orderId(), order.occurredAt(),
                    refundWindow.length().toDays());
        }
        long refundable = order.amountFen() - order.refundedFen();
        if (command.amountFen() > refundable) {
            throw new RefundExceedsPurchaseException(command.orderId(), command.amountFen(), refundable);
        }
        Instant now = clock.instant();
        expireDueLots(now);
        long refundedAfter = order.refundedFen() + command.amountFen();
        long toReverse = RefundReversal.pointsToReverse(order.pointsEarned(), order.amountFen(), order.refundedFen(),
                refundedAfter);
        apply(new PurchaseRefunded(memberId, command.orderId(), command.refundId(), command.amountFen(),
                refundedAfter));
        if (toReverse > 0) {
            List<LotTaken> lots = ledger.plan(toReverse, now, "purchase:" + command.orderId());
            long taken = total(lots);
            apply(new PointsReversed(memberId, command.orderId(), command.refundId(), taken, lots, toReverse - taken,
                    ledger.balance() - taken));
        }
        Refund refund = refunds.get(command.refundId());
        return new RefundResult(refund.pointsReversed(), refund.debtIncurred(), refund.balanceAfter(), false,
                version());
    }

    @CommandHandler
    RedemptionResult handle(RedeemPoints command, Clock clock) {
        Redemption known = redemptions.get(command.redemptionId());
        if (known != null) {
            if (known.points() != command.points() || known.rewardId() != null) {
                throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
            }
            return new RedemptionResult(known.balanceAfter(), true, version());
        }
        spend(command.redemptionId(), command.points(), command.reason(), clock.instant());
        return new RedemptionResult(ledger.balance(), false, version());
    }

    @CommandHandler
    RedemptionResult handle(RedeemReward command, Clock clock) {
        Redemption known = redemptions.get(command.redemptionId());
        if (known != null && known.abandoned()) {
            throw new RewardRedemptionAbandonedException(command.redemptionId());
        }
        if (known != null) {
            if (!command.rewardId().equals(known.rewardId()) || known.points() != command.points()) {
                throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
            }
            return new RedemptionResult(known.balanceAfter(), true, version());
        }
        if (couponsByReward.getOrDefault(command.rewardId(), 0) >= command.perMemberLimit()) {
            throw new RewardLimitReachedException(command.rewardId(), command.perMemberLimit());
        }
        spend(command.redemptionId(), command.points(), "reward " + command.rewardName(), clock.instant());
        apply(new RewardRedeemed(memberId, command.redemptionId(), command.rewardId(), command.couponCode(),
                command.validUntil()));
        return new RedemptionResult(ledger.balance(), false, version());
    }

    /** Paid by now, or abandoned for good: decided here, where payments are serialized with it. */
    @CommandHandler
    boolean handle(SettleRewardRedemption command) {
        Redemption known = redemptions.get(command.redemptionId());
        if (known != null) {
            return !known.abandoned() && command.rewardId().equals(known.rewardId());
        }
        apply(new RewardRedemptionAbandoned(memberId, command.redemptionId(), command.rewardId(),
                "the coupon's reservation ran out before the payment completed"));
        return false;
    }

    @CommandHandler
    AdjustmentResult handle(AdjustPoints command, PointsExpiryPolicy expiry, Clock clock) {
        Adjustment known = adjustments.get(command.adjustmentId());
        if (known != null) {
            if (known.points() != command.points() || !known.reason().equals(command.reason())) {
                throw new IdempotencyKeyReusedException("adjustmentId", command.adjustmentId());
            }
            return new AdjustmentResult(known.balanceAfter(), known.debtAfter(), true, version());
        }
        Instant now = clock.instant();
        expireDueLots(now);
        if (command.points() > 0) {
            long repaid = ledger.debtRepaymentFrom(command.points());
            apply(new PointsAdjusted(memberId, command.adjustmentId(), command.points(), command.reason(),
                    command.actor(), List.of(), repaid, expiry.expiresAt(now),
                    ledger.balance() + command.points() - repaid));
        } else {
            long points = -command.points();
            if (points > ledger.balance()) {
                throw new InsufficientPointsException(ledger.balance(), points);
            }
            apply(new PointsAdjusted(memberId, command.adjustmentId(), command.points(), command.reason(),
                    command.actor(), ledger.plan(points, now, null), 0, null, ledger.balance() - points));
        }
        return new AdjustmentResult(ledger.balance(), ledger.debt(), false, version());
    }

    @CommandHandler
    ExpiryResult handle(ExpirePoints command, Clock clock) {
        return new ExpiryResult(expireDueLots(clock.instant()), ledger.balance(), version());
    }

    @CommandHandler
    CheckInResult handle(CheckIn command, BusinessCalendar calendar, EarningRuleCatalog rules,
                         PointsExpiryPolicy expiry, Clock clock) {
        LocalDate day = calendar.dayOf(command.at());
        if (day.equals(lastCheckInDay)) {
            return new CheckInResult(streak, lastCheckInPoints, true, ledger.balance(), version());
        }
        if (lastCheckInDay != null && day.isBefore(lastCheckInDay)) {
            throw new CheckInOutOfOrderException(day, lastCheckInDay);
        }
        Instant now = clock.instant();
        expireDueLots(now);
        int newStreak = CheckInStreak.next(lastCheckInDay, streak, day);
        EarningRuleSet ruleSet = rules.inEffectAt(command.at());
        EarningRuleSet.Earning earning = ruleSet.forCheckIn(newStreak);
        apply(new CheckedIn(memberId, day, newStreak, command.at()));
        earn(earning, PointSource.CHECK_IN, day.toString(), "check-in:" + day, ruleSet.version(), now, expiry);
        return new CheckInResult(newStreak, earning.points(), false, ledger.balance(), version());
    }

    @CommandHandler
    TierResult handle(OverrideTier command, TierQualificationPolicy qualification, TierRetentionPolicy retention,
                      Clock clock) {
        Floor known = overrides.get(command.overrideId());
        if (known != null) {
            if (!known.tier().equals(command.tier()) || !known.until().equals(command.until())) {
                throw new IdempotencyKeyReusedException("overrideId", command.overrideId());
            }
            return new TierResult(currentTier(qualification), true, version());
        }
        TierLevel target = qualification.level(command.tier())
                .orElseThrow(() -> new UnknownTierException(command.tier()));
        Instant now = clock.instant();
        String from = currentTier(qualification);
        apply(new TierFloorSet(memberId, command.overrideId(), target.code(), command.until(), command.reason(),
                command.actor()));
        if (!target.code().equals(from)) {
            Qualifying qualifying = qualifyingAt(now, qualification);
            apply(new TierChanged(memberId, from, target.code(), TierChangeCause.MANUAL_OVERRIDE,
                    command.reason() + " (floor until " + command.until() + ")", command.actor(),
                    qualifying.spendFen(), qualifying.points(),
                    qualification.rank(target.code()) == 0 ? null : retention.nextReview(now)));
        }
        return new TierResult(currentTier(qualification), false, version());
    }

    @CommandHandler
    TierResult handle(ReviewTier command, TierQualificationPolicy qualification, TierRetentionPolicy retention,
                      Clock clock) {
        Instant now = clock.instant();
        if (floor != null && !now.isBefore(floor.until())) {
            apply(new TierFloorEnded(memberId, floor.overrideId(), floor.tier()));
            review(now, TierChangeCause.OVERRIDE_ENDED, qualification, retention);
        } else if (nextReviewAt != null && !now.isBefore(nextReviewAt)) {
            review(now, TierChangeCause.RETENTION_REVIEW, qualification, retention);
        }
        return new TierResult(currentTier(qualification), false, version());
    }

    private void review(Instant now, TierChangeCause cause, TierQualificationPolicy qualification,
                        TierRetentionPolicy retention) {
        String current = currentTier(qualification);
        if (qualification.rank(current) == 0) {
            return;
        }
        Qualifying qualifying = qualifyingAt(now, qualification);
        String activeFloor = floor == null ? null : floor.tier();
        TierLevel after = retention.review(current, qualifying, activeFloor);
        String measured = "qualifying " + qualification.amount(qualifying.on(qualification.basis()));
        TierLevel held = qualification.level(current).orElseThrow();
        if (after.code().equals(current)) {
            String why = qualifying.on(qualification.basis()) >= held.threshold()
                    ? measured + " keeps " + current + " (" + qualification.amount(held.threshold()) + ")"
                    : measured + " is below " + current + ", held by the manual floor";
            apply(new TierRetained(memberId, current, why, qualifying.spendFen(), qualifying.points(),
                    retention.nextReview(now)));
        } else {
            apply(new TierChanged(memberId, current, after.code(), cause, measured + " is below " + current + " ("
                    + qualification.amount(held.threshold()) + "); at most " + retention.maxStepsDown()
                    + " tier(s) down per review", null, qualifying.spendFen(), qualifying.points(),
                    qualification.rank(after.code()) == 0 ? null : retention.nextReview(now)));
        }
    }

    private void spend(String redemptionId, long points, String reason, Instant now) {
        expireDueLots(now);
        if (points > ledger.balance()) {
            throw new InsufficientPointsException(ledger.balance(), points);
        }
        apply(new PointsRedeemed(memberId, redemptionId, points, reason, ledger.plan(points, now, null),
                ledger.balance() - points));
    }

    private void earn(EarningRuleSet.Earning earning, PointSource source, String sourceId, String lotId,
                      int ruleSetVersion, Instant now, PointsExpiryPolicy expiry) {
        earn(earning, source, sourceId, lotId, ruleSetVersion, now, expiry.expiresAt(now));
    }

    private void earn(EarningRuleSet.Earning earning, PointSource source, String sourceId, String lotId,
                      int ruleSetVersion, Instant now, Instant expiresAt) {
        if (earning.points() <= 0) {
            return;
        }
        long repaid = ledger.debtRepaymentFrom(earning.points());
        apply(new PointsEarned(memberId, lotId, earning.points(), repaid, ledger.balance() + earning.points() - repaid,
                source, sourceId, now, expiresAt, ruleSetVersion, earning.fired()));
    }

    /** Records the expiry of every lot due by {@code now}, one event per expiry instant; returns the points. */
    private long expireDueLots(Instant now) {
        long expired = 0;
        for (Map.Entry<Instant, List<LotTaken>> due : ledger.dueExpiries(now).entrySet()) {
            long points = total(due.getValue());
            apply(new PointsExpired(memberId, points, due.getValue(), due.getKey(), ledger.balance() - points));
            expired += points;
        }
        return expired;
    }

    private String currentTier(TierQualificationPolicy qualification) {
        return tier == null ? qualification.base().code() : tier;
    }

    /** Net spend and purchase points of the orders that happened in the window ending at {@code at}. */
    private Qualifying qualifyingAt(Instant at, TierQualificationPolicy qualification) {
        Instant start = qualification.windowStart(at);
        long spend = 0;
        long points = 0;
        for (Order order : orders.values()) {
            if (!order.occurredAt().isBefore(start) && !order.occurredAt().isAfter(at)) {
                spend += order.amountFen() - order.refundedFen();
                points += order.pointsEarned() - order.pointsReversed();
            }
        }
        return new Qualifying(spend, points);
    }

    private static long total(List<LotTaken> lots) {
        return lots.stream().mapToLong(LotTaken::points).sum();
    }

    static long version() {
        Long version = AggregateLifecycle.getVersion();
        return version == null ? -1 : version;
    }

    @EventSourcingHandler
    void on(MemberRegistered event) {
        memberId = event.memberId();
        phoneHash = event.phoneHash();
    }

    @EventSourcingHandler
    void on(PhoneBound event) {
        phoneHash = event.phoneHash();
    }

    @EventSourcingHandler
    void on(PurchaseRecorded event) {
        orders.put(event.orderId(), new Order(event.amountFen(), event.storeId(), event.channel(), event.lines(),
                event.occurredAt(), 0, ledger.balance(), 0, 0));
    }

    @EventSourcingHandler
    void on(PointsEarned event) {
        ledger.earned(event.lotId(), event.points(), event.debtRepaid(), event.earnedAt(), event.expiresAt());
        if (event.source() == PointSource.PURCHASE) {
            orders.computeIfPresent(event.sourceId(), (id, order) -> order.earned(event.points(), event.balanceAfter()));
        } else if (event.source() == PointSource.CHECK_IN) {
            lastCheckInPoints = event.points();
        }
    }

    @EventSourcingHandler
    void on(PurchaseRefunded event) {
        orders.computeIfPresent(event.orderId(), (id, order) -> order.refundedUpTo(event.refundedTotalFen()));
        refunds.put(event.refundId(), new Refund(event.orderId(), event.amountFen(), 0, 0, ledger.balance()));
    }

    @EventSourcingHandler
    void on(PointsReversed event) {
        ledger.took(event.lots());
        ledger.owes(event.debtIncurred());
        orders.computeIfPresent(event.orderId(),
                (id, order) -> order.reversed(event.points() + event.debtIncurred()));
        refunds.computeIfPresent(event.refundId(),
                (id, refund) -> refund.reversed(event.points(), event.debtIncurred(), event.balanceAfter()));
    }

    @EventSourcingHandler
    void on(PointsRedeemed event) {
        ledger.took(event.lots());
        redemptions.put(event.redemptionId(), new Redemption(event.points(), event.balanceAfter(), null, false));
    }

    @EventSourcingHandler
    void on(RewardRedeemed event) {
        couponsByReward.merge(event.rewardId(), 1, Integer::sum);
        redemptions.computeIfPresent(event.redemptionId(),
                (id, redemption) -> new Redemption(redemption.points(), redemption.balanceAfter(), event.rewardId(),
                        false));
    }

    @EventSourcingHandler
    void on(RewardRedemptionAbandoned event) {
        redemptions.put(event.redemptionId(), new Redemption(0, ledger.balance(), event.rewardId(), true));
    }

    @EventSourcingHandler
    void on(PointsAdjusted event, @Timestamp Instant at) {
        if (event.points() > 0) {
            ledger.earned("adjustment:" + event.adjustmentId(), event.points(), event.debtRepaid(), at,
                    event.expiresAt());
        } else {
            ledger.took(event.lots());
        }
        adjustments.put(event.adjustmentId(), new Adjustment(event.points(), event.reason(), event.balanceAfter(),
                ledger.debt()));
    }

    @EventSourcingHandler
    void on(PointsExpired event) {
        ledger.took(event.lots());
    }

    @EventSourcingHandler
    void on(CheckedIn event) {
        lastCheckInDay = event.day();
        streak = event.streak();
        lastCheckInPoints = 0;
    }

    @EventSourcingHandler
    void on(TierChanged event) {
        tier = event.to();
        nextReviewAt = event.nextReviewAt();
    }

    @EventSourcingHandler
    void on(TierRetained event) {
        nextReviewAt = event.nextReviewAt();
    }

    @EventSourcingHandler
    void on(TierFloorSet event) {
        floor = new Floor(event.overrideId(), event.tier(), event.until());
        overrides.put(event.overrideId(), floor);
    }

    @EventSourcingHandler
    void on(TierFloorEnded event) {
        floor = null;
    }

    /** What a recorded order needs for refunds, tier qualification and answering a retry. */
    private record Order(long amountFen, String storeId, SalesChannel channel, List<PurchaseLine> lines,
                         Instant occurredAt, long pointsEarned, long balanceAfter, long refundedFen,
                         long pointsReversed) {

        private boolean matches(RecordPurchase command) {
            return amountFen == command.amountFen() && Objects.equals(storeId, command.storeId())
                    && channel == command.channel() && Objects.equals(lines, command.lines());
        }

        private Order earned(long points, long balance) {
            return new Order(amountFen, storeId, channel, lines, occurredAt, pointsEarned + points, balance,
                    refundedFen, pointsReversed);
        }

        private Order refundedUpTo(long refundedTotalFen) {
            return new Order(amountFen, storeId, channel, lines, occurredAt, pointsEarned, balanceAfter,
                    refundedTotalFen, pointsReversed);
        }

        private Order reversed(long points) {
            return new Order(amountFen, storeId, channel, lines, occurredAt, pointsEarned, balanceAfter, refundedFen,
                    pointsReversed + points);
        }
    }

    private record Refund(String orderId, long amountFen, long pointsReversed, long debtIncurred, long balanceAfter) {

        private Refund reversed(long points, long debt, long balance) {
            return new Refund(orderId, amountFen, points, debt, balance);
        }
    }

    private record Redemption(long points, long balanceAfter, String rewardId, boolean abandoned) {
    }

    private record Adjustment(long points, String reason, long balanceAfter, long debtAfter) {
    }

    private record Floor(String overrideId, String tier, Instant until) {
    }
}
