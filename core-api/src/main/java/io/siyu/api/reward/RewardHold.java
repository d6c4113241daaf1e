package io.siyu.api.reward;

/**
 * The answer to {@link HoldRewardRedemption}.
 *
 * @param duplicate {@code true} when this redemption id was held before (pending or ended) and nothing was written
 */
public record RewardHold(boolean duplicate) {
}
