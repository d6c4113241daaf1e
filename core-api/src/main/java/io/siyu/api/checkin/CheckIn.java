package io.siyu.api.checkin;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Check a member in for the day. One check-in per business day counts; a second one the same day writes nothing.
 *
 * @param memberId the member
 * @param at       when the member checked in (decides the business day)
 */
public record CheckIn(@TargetAggregateIdentifier String memberId, Instant at) {
}
