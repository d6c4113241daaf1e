package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** An override named a tier the programme does not have. */
public final class UnknownTierException extends Refusal {

    public UnknownTierException(String tier) {
        super("unknown-tier", true, "There is no tier " + tier, Map.of("tier", tier));
    }
}
