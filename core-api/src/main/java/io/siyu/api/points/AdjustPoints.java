package io.siyu.api.points;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A manual correction by staff. A positive amount creates a lot (and pays off any points debt first); a negative
 * amount is taken from the lots like a redemption and is refused when the balance is short. {@code adjustmentId}
 * is the idempotency key.
 *
 * @param memberId     the member
 * @param adjustmentId the caller's id for this adjustment, unique per member
 * @param points       the signed change (never zero)
 * @param reason       why, required, shown to the member and to agents
 * @param actor        who made it (a staff id)
 */
public record AdjustPoints(@TargetAggregateIdentifier String memberId,
                           String adjustmentId,
                           long points,
                           String reason,
                           String actor) {
}
