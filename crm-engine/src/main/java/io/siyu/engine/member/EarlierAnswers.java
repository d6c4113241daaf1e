package io.siyu.engine.member;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.siyu.api.points.AdjustPoints;
import io.siyu.api.points.AdjustmentResult;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
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
import io.siyu.api.reward.HoldRewardRedemption;
import io.siyu.api.reward.RedeemReward;
import io.siyu.api.reward.RewardPayment;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A retry answered from the commit that first recorded its key ({@link RecordedFacts}): the same answer as the first
 * time, {@code duplicate = true}, or a refusal when the key was used for something else. Balances are those the commit
 * recorded; a commit that moved no points records none, and then the current balance is given.
 */
final class EarlierAnswers {

    private EarlierAnswers() {
    }

    static <T> Optional<T> find(List<Object> facts, Class<T> type) {
        return facts.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    static PurchaseResult purchase(RecordPurchase command, List<Object> facts, long balanceNow, long version) {
        PurchaseRecorded recorded = find(facts, PurchaseRecorded.class).orElseThrow();
        if (recorded.amountFen() != command.amountFen() || !Objects.equals(recorded.storeId(),
                command.storeId()) || recorded.channel() != command.channel()
                || !recorded.lines().equals(command.lines())) {
            throw new IdempotencyKeyReusedException("orderId", command.orderId());
        }
        long points = facts.stream().filter(PointsEarned.class::isInstance).map(PointsEarned.class::cast)
                .filter(earned -> earned.source() == PointSource.PURCHASE
                        && earned.sourceId().equals(command.orderId()))
                .mapToLong(PointsEarned::points).sum();
        return new PurchaseResult(points, balanceAfter(facts, balanceNow), true, version);
    }

    static RefundResult refund(RefundPurchase command, List<Object> facts, long balanceNow, long version) {
        PurchaseRefunded refunded = find(facts, PurchaseRefunded.class).orElseThrow();
        if (!refunded.orderId().equals(command.orderId()) || refunded.amountFen() != command.amountFen()) {
            throw new IdempotencyKeyReusedException("refundId", command.refundId());
        }
        Optional<PointsReversed> reversed = find(facts, PointsReversed.class);
        return new RefundResult(reversed.map(PointsReversed::points).orElse(0L),
                reversed.map(PointsReversed::debtIncurred).orElse(0L), balanceAfter(facts, balanceNow), true,
                version);
    }

    static RedemptionResult pointsRedemption(RedeemPoints command, List<Object> facts, long version) {
        Optional<PointsRedeemed> redeemed = find(facts, PointsRedeemed.class);
        if (redeemed.isEmpty() || redeemed.get().points() != command.points()
                || find(facts, RewardRedeemed.class).isPresent()) {
            throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
        }
        return new RedemptionResult(redeemed.get().balanceAfter(), true, version);
    }

    /**
     * A reward redemption retried after it ended: nothing to do when it ended (paid or not) for the same reward;
     * a refusal when the redemption id was used for something else.
     */
    static void rewardRedemption(HoldRewardRedemption command, List<Object> facts) {
        String rewardId = find(facts, RewardRedeemed.class).map(RewardRedeemed::rewardId)
                .or(() -> find(facts, RewardRedemptionAbandoned.class).map(RewardRedemptionAbandoned::rewardId))
                .orElse(null);
        if (!command.rewardId().equals(rewardId)) {
            throw new IdempotencyKeyReusedException("redemptionId", command.redemptionId());
        }
    }

    /** The payment of a redemption that is no longer held: as it ended, or refused if it never was held. */
    static RewardPayment rewardPayment(RedeemReward command, List<Object> facts) {
        Optional<RewardRedeemed> coupon = find(facts, RewardRedeemed.class);
        if (coupon.isPresent() && coupon.get().rewardId().equals(command.rewardId())) {
            return new RewardPayment(true, null, true);
        }
        Optional<RewardRedemptionAbandoned> abandoned = find(facts, RewardRedemptionAbandoned.class);
        if (abandoned.isPresent() && abandoned.get().rewardId().equals(command.rewardId())) {
            return new RewardPayment(false, abandoned.get().reason(), true);
        }
        return new RewardPayment(false, "reward-redemption-not-held: redemption " + command.redemptionId()
                + " holds no points for reward " + command.rewardId(), true);
    }

    static AdjustmentResult adjustment(AdjustPoints command, List<Object> facts, long debtNow, long version) {
        PointsAdjusted adjusted = find(facts, PointsAdjusted.class).orElseThrow();
        if (adjusted.points() != command.points() || !adjusted.reason().equals(command.reason())) {
            throw new IdempotencyKeyReusedException("adjustmentId", command.adjustmentId());
        }
        return new AdjustmentResult(adjusted.balanceAfter(),
                adjusted.debtAfter() == null ? debtNow : adjusted.debtAfter(), true, version);
    }

    /** The balance the commit's last point movement left, or {@code balanceNow} if it moved none. */
    private static long balanceAfter(List<Object> facts, long balanceNow) {
        long balance = balanceNow;
        boolean found = false;
        for (Object fact : facts) {
            Long after = null;
            if (fact instanceof PointsEarned earned) {
                after = earned.balanceAfter();
            } else if (fact instanceof PointsExpired expired) {
                after = expired.balanceAfter();
            } else if (fact instanceof PointsReversed reversed) {
                after = reversed.balanceAfter();
            } else if (fact instanceof PointsRedeemed redeemed) {
                after = redeemed.balanceAfter();
            } else if (fact instanceof PointsAdjusted adjusted) {
                after = adjusted.balanceAfter();
            }
            if (after != null) {
                balance = after;
                found = true;
            }
        }
        return found ? balance : balanceNow;
    }
}
