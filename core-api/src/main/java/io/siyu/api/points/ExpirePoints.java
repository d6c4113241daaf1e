package io.siyu.api.points;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record the expiry of every lot of the member that has reached its expiry time. Sent when an expiry falls due;
 * repeating it writes nothing.
 *
 * @param memberId the member
 */
public record ExpirePoints(@TargetAggregateIdentifier String memberId) {
}
