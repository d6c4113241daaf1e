package io.siyu.engine.reward;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A request named a reward redemption the member never made. */
public final class UnknownRedemptionException extends Refusal {

    public UnknownRedemptionException(String redemptionId) {
        super("unknown-redemption", true, "There is no reward redemption " + redemptionId + " for this member",
                Map.of("redemptionId", redemptionId));
    }
}
