package io.siyu.api.tier;

import io.siyu.api.PersonalData;

import java.time.Instant;

import io.siyu.api.KeyedFact;

/**
 * Staff set a member's tier by hand. Until {@code until}, {@code tier} is a floor: no retention review lowers the
 * member below it, while purchases can still raise them above it. When the floor ends the member is reviewed that
 * day under the normal retention rules.
 *
 * @param memberId   the member
 * @param overrideId the override's id (idempotency key)
 * @param tier       the tier set, and the floor
 * @param until      when the floor ends
 * @param reason     why (required)
 * @param actor      who
 */
public record TierFloorSet(String memberId,
                           String overrideId,
                           String tier,
                           Instant until,
                           @PersonalData String reason,
                           String actor) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "override:" + overrideId;
    }
}
