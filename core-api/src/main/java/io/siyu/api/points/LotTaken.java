package io.siyu.api.points;

/**
 * Points taken from one lot by a consuming event (redemption, reversal, expiry, negative adjustment).
 *
 * @param lotId  the lot, as named by the {@link PointsEarned} that created it
 * @param points points taken from it (positive)
 */
public record LotTaken(String lotId, long points) {
}
