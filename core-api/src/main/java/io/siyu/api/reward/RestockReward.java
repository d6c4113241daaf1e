package io.siyu.api.reward;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Add coupons to a reward's stock. {@code restockId} is the idempotency key.
 *
 * @param rewardId  the reward
 * @param restockId the caller's id for this restock
 * @param quantity  coupons added (positive)
 */
public record RestockReward(@TargetAggregateIdentifier String rewardId, String restockId, long quantity) {
}
