package io.siyu.api.points;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Spend points. {@code redemptionId} is the idempotency key. Refused when the balance is short: a balance never
 * goes negative.
 *
 * @param memberId     the member
 * @param redemptionId the caller's id for this redemption, unique per member
 * @param points       points to spend (positive)
 * @param reason       what the points are spent on, shown to the member
 */
public record RedeemPoints(@TargetAggregateIdentifier String memberId,
                           String redemptionId,
                           long points,
                           String reason) {
}
