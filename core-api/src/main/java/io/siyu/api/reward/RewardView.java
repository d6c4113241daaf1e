package io.siyu.api.reward;

/**
 * A reward as the catalogue shows it.
 *
 * @param rewardId       the reward
 * @param name           its name
 * @param pointsCost     points per coupon
 * @param stock          coupons available now
 * @param perMemberLimit most coupons per member
 * @param validDays      coupon validity in days
 */
public record RewardView(String rewardId, String name, long pointsCost, long stock, int perMemberLimit,
                         int validDays) {
}
