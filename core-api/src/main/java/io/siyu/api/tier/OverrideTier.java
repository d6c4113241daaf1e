package io.siyu.api.tier;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Set a member's tier by hand, as a floor until {@code until} (see {@link TierFloorSet}).
 *
 * @param memberId   the member
 * @param overrideId the caller's id for this override (idempotency key)
 * @param tier       a configured tier code
 * @param until      when the floor ends (in the future)
 * @param reason     why (required)
 * @param actor      who
 */
public record OverrideTier(@TargetAggregateIdentifier String memberId,
                           String overrideId,
                           String tier,
                           Instant until,
                           String reason,
                           String actor) {
}
