package io.siyu.api.points;

import java.time.Instant;

/**
 * What is left of one lot.
 *
 * @param lotId     the lot
 * @param points    points left in it (positive)
 * @param expiresAt the first instant it can no longer be used, or {@code null} if it never expires
 */
public record OpenLot(String lotId, long points, Instant expiresAt) {

    /** @return {@code true} when the lot can no longer be used at {@code at} */
    public boolean expiredAt(Instant at) {
        return expiresAt != null && !at.isBefore(expiresAt);
    }
}
