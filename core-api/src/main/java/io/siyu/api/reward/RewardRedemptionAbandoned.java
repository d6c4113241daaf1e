package io.siyu.api.reward;

import io.siyu.api.KeyedFact;

/**
 * A reward redemption ended unpaid and never will be paid: the reward had no unit left, the member's points fell
 * short when paying, or the redemption's deadline passed first. The points it held are available again and the
 * redemption id can no longer pay.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 * @param rewardId     the reward
 * @param reason       why: a problem type, a colon and words ({@code reward-out-of-stock: …})
 */
public record RewardRedemptionAbandoned(String memberId, String redemptionId, String rewardId, String reason)
        implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "redemption:" + redemptionId;
    }

    /** @return the redemption's key across members ({@code memberId/redemptionId}), which a process follows */
    public String claimId() {
        return memberId + "/" + redemptionId;
    }
}
