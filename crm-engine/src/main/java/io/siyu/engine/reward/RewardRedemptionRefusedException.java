package io.siyu.engine.reward;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** The member's side refused a reward redemption (points short, limit reached); the coupon went back to stock. */
public final class RewardRedemptionRefusedException extends Refusal {

    public RewardRedemptionRefusedException(String redemptionId, String reason) {
        super("reward-redemption-refused", false, "Redemption " + redemptionId + " was refused and nothing was paid: "
                + reason, Map.of("redemptionId", redemptionId, "reason", reason));
    }
}
