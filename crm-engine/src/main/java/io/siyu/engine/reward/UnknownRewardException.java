package io.siyu.engine.reward;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A request named a reward that is not in the catalogue. */
public final class UnknownRewardException extends Refusal {

    public UnknownRewardException(String rewardId) {
        super("unknown-reward", true, "There is no reward " + rewardId, Map.of("rewardId", rewardId));
    }
}
