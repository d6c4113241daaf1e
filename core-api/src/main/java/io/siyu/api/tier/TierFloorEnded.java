package io.siyu.api.tier;

/**
 * A manual tier floor reached its end date; a review on the same day follows.
 *
 * @param memberId   the member
 * @param overrideId the override whose floor ended
 * @param tier       the floor that ended
 */
public record TierFloorEnded(String memberId, String overrideId, String tier) {
}
