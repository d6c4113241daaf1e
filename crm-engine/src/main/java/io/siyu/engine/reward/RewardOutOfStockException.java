package io.siyu.engine.reward;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** The reward's stock is used up. */
public final class RewardOutOfStockException extends Refusal {

    public RewardOutOfStockException(String rewardId) {
        super("reward-out-of-stock", false, "Reward " + rewardId + " is out of stock", Map.of("rewardId", rewardId));
    }
}
