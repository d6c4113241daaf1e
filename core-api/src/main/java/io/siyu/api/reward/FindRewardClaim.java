package io.siyu.api.reward;

/**
 * Ask how a reward redemption stands. Answered with a {@link RewardClaimView}, or nothing when it is unknown.
 *
 * @param memberId     the member
 * @param redemptionId the redemption id
 */
public record FindRewardClaim(String memberId, String redemptionId) {
}
