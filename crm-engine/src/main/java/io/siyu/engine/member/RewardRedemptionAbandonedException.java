package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A payment for a reward redemption that was abandoned at its reservation's deadline: nothing is paid. */
public final class RewardRedemptionAbandonedException extends Refusal {

    public RewardRedemptionAbandonedException(String redemptionId) {
        super("reward-redemption-abandoned", false, "Redemption " + redemptionId + " was abandoned when its coupon's "
                + "reservation ran out; nothing was paid", Map.of("redemptionId", redemptionId));
    }
}
