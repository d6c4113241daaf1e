package io.siyu.api.reward;

/**
 * Ask for a reward in the catalogue. Answered with a {@link RewardView}, or nothing when it is unknown.
 *
 * @param rewardId the reward
 */
public record FindReward(String rewardId) {
}
