package io.siyu.api.points;

import java.time.Instant;
import java.util.List;

/**
 * Lots reached their expiry. {@code expiredAt} is when they expired, which may be earlier than the event's own time
 * when the event is recorded late; the points were not usable from {@code expiredAt} on either way.
 *
 * @param memberId     the member
 * @param points       points that expired (positive)
 * @param lots         the lots and what was left of each
 * @param expiredAt    the lots' expiry instant
 * @param balanceAfter the balance after this event
 */
public record PointsExpired(String memberId,
                            long points,
                            List<LotTaken> lots,
                            Instant expiredAt,
                            long balanceAfter) {

    public PointsExpired {
        lots = lots == null ? List.of() : List.copyOf(lots);
    }
}
