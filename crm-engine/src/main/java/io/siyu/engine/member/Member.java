package io.siyu.engine.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.PersonalData;
import io.siyu.api.member.BindPhone;
import io.siyu.api.member.EraseMember;
import io.siyu.api.member.ErasureResult;
import io.siyu.api.member.MemberErased;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.MemberUnionidAttached;
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
import io.siyu.api.reward.HoldRewardRedemption;
import io.siyu.api.reward.RewardHold;
import io.siyu.api.reward.RewardPayment;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.RewardRedemptionHeld;
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
 * adjustment and override ids) live in the commits that used them ({@link RecordedFacts}), not in this state: a
 * retry of any age is answered as it was the first time and writes nothing, while the state holds only what rules
 * still decide on (open lots, the {@link OrderWindow}, tier, floor, streak), whatever the length of the history.
 * <p>
 * Every command first records the expiry of lots whose time has come, so no decision ever uses expired points,
 * whether or not the scheduled expiry has run yet.
 */
@Aggregate(snapshotTriggerDefinition = "memberSnapshotTrigger", cache = "memberCache")
// The snapshot's shape: raise it whenever a field changes, so that older snapshots are ignored (the state is folded
// from the events again) instead of being read into the wrong shape.
@Revision("7")
class Member {

    @AggregateIdentifier
    private String memberId;
    @PersonalData
    private String phoneHash;
    @PersonalData
    private String unionid;
    private boolean erased;
    private final PointLedger ledger = new PointLedger();
    private final OrderWindow orders = new OrderWindow();
    private final Map<String, Integer> couponsByReward = new HashMap<>();
    private final RewardHolds rewardHolds = new RewardHolds();
    private LocalDate lastCheckInDay;
    private int streak;
    private long lastCheckInPoints;
    private String tier;
    private Instant nextReviewAt;
    private Floor floor;
    @AggregateMember
    private final MemberRelations relations = new MemberRelations();
    /** Holds nothing (its facts are found by their keys): transient, so a snapshot has no empty part to write. */
    @AggregateMember
    private final transient MemberCampaigns campaigns = new MemberCampaigns();

    Member() {
        // for Axon
    }

    /**
     * An erased member's account is closed: every command is refused but another erasure and the settling of a
     * coupon redemption under way (it ends unpaid, so the reward's reserved unit goes back to the stock).
     */
    @CommandHandlerInterceptor
    Object refuseOnceErased(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (erased && !(command.getPayload() instanceof EraseMember)
                && !(command.getPayload() instanceof SettleRewardRedemption)) {
            throw new MemberErasedException(memberId);
        }
        return chain.proceed();
    }

    @CommandHandler
    ErasureResult handle(EraseMember command) {
        if (erased) {
            return new ErasureResult(false, version());
        }
        apply(new MemberErased(memberId, command.reason(), command.actor()));
        return new ErasureResult(true, version());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    MemberRegistration handle(RegisterMember command) {
        if (memberId != null) {
            // a unionid that became known after registration is attached once; another one is refused
            if (command.unionid() != null && unionid == null) {
                apply(new MemberUnionidAttached(memberId, command.unionid(), "registration"));
            } else if (command.unionid() != null && !command.unionid().equals(unionid)) {
                throw new UnionidMismatchException(memberId);
            }
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
                          TierQualificationPolicy qualification, TierRetentionPolicy retention,
                          RefundWindow refundWindow, RecordedFacts facts, Clock clock) {
        Instant now = clock.instant();
        Instant horizon = OrderWindow.horizon(now, qualification, refundWindow);
        if (orders.get(command.orderId()) != null || command.occurredAt().isBefore(horizon)) {
            // a retry is answered from the commit that recorded the order (an order this old is not held here, so
            // its commit is asked whenever one may exist)
            List<Object> earlier = facts.carrying(memberId, "order:" + command.orderId());
            if (!earlier.isEmpty()) {
                return EarlierAnswers.purchase(command, earlier, ledger.balance(), version());
            }
        }
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
    RefundResult handle(RefundPurchase command, RefundWindow refundWindow, RecordedFacts facts, Clock clock) {
        List<Object> earlier = facts.carrying(memberId, "refund:" + command.refundId());
        if (!earlier.isEmpty()) {
            return EarlierAnswers.refund(command, earlier, ledger.balance(), version());
        }
        OrderWindow.Order order = orders.get(command.orderId());
        if (order == null) {
            // not held: either never recorded, or older than the refund window
            PurchaseRecorded recorded = EarlierAnswers.find(facts.carrying(memberId, "order:" + command.orderId()),
                    PurchaseRecorded.class).orElseThrow(() -> new UnknownOrderException(command.orderId()));
            throw new RefundWindowClosedException(command.orderId(), recorded.occurredAt(),
                    refundWindow.length().toDays());
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
        long taken = 0;
        if (toReverse > 0) {
            List<LotTaken> lots = ledger.plan(toReverse, now, "purchase:" + command.orderId());
            taken = total(lots);
            apply(new PointsReversed(memberId, command.orderId(), command.refundId(), taken, lots, toReverse - taken,
                    ledger.balance() - taken));
        }
        return new RefundResult(taken, toReverse - taken, ledger.balance(), false, version());
    }

    @CommandHandler
    RedemptionResult handle(RedeemPoints command, RecordedFacts facts, Clock clock) {
        if (rewardHolds.get(command.redemptionId()) != null) {
            throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
        }
        List<Object> earlier = facts.carrying(memberId, "redemption:" + command.redemptionId());
        if (!earlier.isEmpty()) {
            return EarlierAnswers.pointsRedemption(command, earlier, version());
        }
        spend(command.redemptionId(), command.points(), command.reason(), clock.instant());
        return new RedemptionResult(ledger.balance(), false, version());
    }

    /**
     * A reward redemption's first step: refused here, with nothing written, when it cannot succeed (points short,
     * the reward's per-member limit reached by coupons held and redemptions in flight, too many in flight), so it
     * never holds a unit of the reward; otherwise its points are held until it is paid or ends unpaid.
     */
    @CommandHandler
    RewardHold handle(HoldRewardRedemption command, RecordedFacts facts, Clock clock) {
        RewardHolds.Hold pending = rewardHolds.get(command.redemptionId());
        if (pending != null) {
            if (!pending.rewardId().equals(command.rewardId())) {
                throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
            }
            return new RewardHold(true);
        }
        List<Object> earlier = facts.carrying(memberId, "redemption:" + command.redemptionId());
        if (!earlier.isEmpty()) {
            EarlierAnswers.rewardRedemption(command, earlier);
            return new RewardHold(true);
        }
        if (rewardHolds.full()) {
            throw new TooManyPendingRedemptionsException(RewardHolds.MAX_PENDING);
        }
        if (couponsByReward.getOrDefault(command.rewardId(), 0) + rewardHolds.of(command.rewardId())
                >= command.perMemberLimit()) {
            throw new RewardLimitReachedException(command.rewardId(), command.perMemberLimit());
        }
        expireDueLots(clock.instant());
        long available = ledger.balance() - rewardHolds.points();
        if (command.points() > available) {
            throw new InsufficientPointsException(ledger.balance(), rewardHolds.points(), command.points());
        }
        apply(new RewardRedemptionHeld(memberId, command.redemptionId(), command.rewardId(), command.rewardName(),
                command.points(), command.perMemberLimit(), command.couponCode()));
        return new RewardHold(false);
    }

    /**
     * A held redemption whose unit is reserved is paid with its held points, or ends unpaid in this commit when they
     * fell short meanwhile (expired lots, a reversed refund); one that already ended is answered as it ended.
     */
    @CommandHandler
    RewardPayment handle(RedeemReward command, RecordedFacts facts, Clock clock) {
        RewardHolds.Hold hold = rewardHolds.get(command.redemptionId());
        if (hold == null) {
            List<Object> earlier = facts.carrying(memberId, "redemption:" + command.redemptionId());
            return EarlierAnswers.rewardPayment(command, earlier);
        }
        Instant now = clock.instant();
        expireDueLots(now);
        long available = ledger.balance() - (rewardHolds.points() - hold.points());
        if (hold.points() > available) {
            String reason = "insufficient-points: the " + hold.points() + " points held for it are no longer there"
                    + " (available " + Math.max(available, 0) + ")";
            apply(new RewardRedemptionAbandoned(memberId, command.redemptionId(), command.rewardId(), reason));
            return new RewardPayment(false, reason, false);
        }
        apply(new PointsRedeemed(memberId, command.redemptionId(), hold.points(), "reward " + command.rewardName(),
                ledger.plan(hold.points(), now, null), ledger.balance() - hold.points()));
        apply(new RewardRedeemed(memberId, command.redemptionId(), command.rewardId(), command.couponCode(),
                command.validUntil()));
        return new RewardPayment(true, null, false);
    }

    /** Paid by now, or ended unpaid for good: decided here, where payments are serialized with it. */
    @CommandHandler
    boolean handle(SettleRewardRedemption command, RecordedFacts facts) {
        if (rewardHolds.get(command.redemptionId()) == null) {
            List<Object> earlier = facts.carrying(memberId, "redemption:" + command.redemptionId());
            if (!earlier.isEmpty()) {
                return EarlierAnswers.find(earlier, RewardRedeemed.class)
                        .filter(paid -> command.rewardId().equals(paid.rewardId())).isPresent();
            }
        }
        apply(new RewardRedemptionAbandoned(memberId, command.redemptionId(), command.rewardId(),
                command.reason()));
        return false;
    }

    @CommandHandler
    AdjustmentResult handle(AdjustPoints command, PointsExpiryPolicy expiry, RecordedFacts facts, Clock clock) {
        List<Object> earlier = facts.carrying(memberId, "adjustment:" + command.adjustmentId());
        if (!earlier.isEmpty()) {
            return EarlierAnswers.adjustment(command, earlier, ledger.debt(), version());
        }
        Instant now = clock.instant();
        expireDueLots(now);
        if (command.points() > 0) {
            long repaid = ledger.debtRepaymentFrom(command.points());
            apply(new PointsAdjusted(memberId, command.adjustmentId(), command.points(), command.reason(),
                    command.actor(), List.of(), repaid, expiry.expiresAt(now),
                    ledger.balance() + command.points() - repaid, ledger.debt() - repaid));
        } else {
            long points = -command.points();
            if (points > ledger.balance()) {
                throw new InsufficientPointsException(ledger.balance(), 0, points);
            }
            apply(new PointsAdjusted(memberId, command.adjustmentId(), command.points(), command.reason(),
                    command.actor(), ledger.plan(points, now, null), 0, null, ledger.balance() - points,
                    ledger.debt()));
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
                      RecordedFacts facts, Clock clock) {
        Optional<TierFloorSet> known = EarlierAnswers.find(
                facts.carrying(memberId, "override:" + command.overrideId()), TierFloorSet.class);
        if (known.isPresent()) {
            if (!known.get().tier().equals(command.tier()) || !known.get().until().equals(command.until())) {
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
        long available = ledger.balance() - rewardHolds.points();
        if (points > available) {
            throw new InsufficientPointsException(ledger.balance(), rewardHolds.points(), points);
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
        return orders.qualifying(qualification.windowStart(at), at);
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
        unionid = event.unionid();
    }

    @EventSourcingHandler
    void on(MemberErased event) {
        erased = true;
        phoneHash = null;
        unionid = null;
    }

    @EventSourcingHandler
    void on(MemberUnionidAttached event) {
        unionid = event.unionid();
    }

    @EventSourcingHandler
    void on(PhoneBound event) {
        phoneHash = event.phoneHash();
    }

    @EventSourcingHandler
    void on(PurchaseRecorded event, @Timestamp Instant recordedAt, TierQualificationPolicy qualification,
            RefundWindow refundWindow) {
        // orders outside both windows as of this one are forgotten: a replay forgets the same ones
        orders.forgetBefore(OrderWindow.horizon(recordedAt, qualification, refundWindow));
        orders.recorded(event.orderId(), event.amountFen(), event.occurredAt());
    }

    @EventSourcingHandler
    void on(PointsEarned event) {
        ledger.earned(event.lotId(), event.points(), event.debtRepaid(), event.expiresAt());
        if (event.source() == PointSource.PURCHASE) {
            orders.earned(event.sourceId(), event.points());
        } else if (event.source() == PointSource.CHECK_IN) {
            lastCheckInPoints = event.points();
        }
    }

    @EventSourcingHandler
    void on(PurchaseRefunded event) {
        orders.refundedUpTo(event.orderId(), event.refundedTotalFen());
    }

    @EventSourcingHandler
    void on(PointsReversed event) {
        ledger.took(event.lots());
        ledger.owes(event.debtIncurred());
        orders.reversed(event.orderId(), event.points() + event.debtIncurred());
    }

    @EventSourcingHandler
    void on(PointsRedeemed event) {
        ledger.took(event.lots());
    }

    @EventSourcingHandler
    void on(RewardRedemptionHeld event) {
        rewardHolds.held(event.redemptionId(), event.rewardId(), event.points());
    }

    @EventSourcingHandler
    void on(RewardRedeemed event) {
        rewardHolds.ended(event.redemptionId());
        couponsByReward.merge(event.rewardId(), 1, Integer::sum);
    }

    @EventSourcingHandler
    void on(RewardRedemptionAbandoned event) {
        rewardHolds.ended(event.redemptionId());
    }

    @EventSourcingHandler
    void on(PointsAdjusted event) {
        if (event.points() > 0) {
            ledger.earned("adjustment:" + event.adjustmentId(), event.points(), event.debtRepaid(),
                    event.expiresAt());
        } else {
            ledger.took(event.lots());
        }
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
    }

    @EventSourcingHandler
    void on(TierFloorEnded event) {
        floor = null;
    }

    private record Floor(String overrideId, String tier, Instant until) {
    }
}
