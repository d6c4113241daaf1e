package io.siyu.api.reward;

import io.siyu.api.KeyedFact;

/**
 * A reward redemption was not paid by its reservation's deadline and never will be: the member paid nothing and the
 * redemption id can no longer pay.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param reason       why, in words
 */
public record RewardRedemptionAbandoned(String memberId, String redemptionId, String rewardId, String reason) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "redemption:" + redemptionId;
    }
}
