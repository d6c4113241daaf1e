package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A member already holds as many coupons of a reward as one member may. */
public final class RewardLimitReachedException extends Refusal {

    RewardLimitReachedException(String rewardId, int limit) {
        super("reward-limit-reached", false, "The member already holds " + limit + " coupon(s) of reward " + rewardId
                + ", the most one member may", Map.of("rewardId", rewardId, "perMemberLimit", limit));
    }
}
