package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Put a coupon reward in the catalogue. Defining the same reward again with the same terms is answered as a
 * duplicate; other terms under a taken id are refused.
 *
 * @param rewardId       the reward's id
 * @param name           what the member sees, e.g. {@code 满100减20券}
 * @param pointsCost     points one coupon costs (positive)
 * @param stock          coupons available (zero or more)
 * @param perMemberLimit most coupons of this reward one member may hold
 * @param validDays      days a coupon can be used after it is issued
 */
public record DefineReward(@TargetAggregateIdentifier String rewardId,
                           String name,
                           long pointsCost,
                           long stock,
                           int perMemberLimit,
                           int validDays) {
}
