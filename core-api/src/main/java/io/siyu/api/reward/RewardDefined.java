package io.siyu.api.reward;

/**
 * A reward entered the catalogue.
 *
 * @param rewardId       the reward
 * @param name           its name
 * @param pointsCost     points per coupon
 * @param stock          coupons available
 * @param perMemberLimit most coupons per member
 * @param validDays      coupon validity in days
 */
public record RewardDefined(String rewardId, String name, long pointsCost, long stock, int perMemberLimit,
                            int validDays) {
}
