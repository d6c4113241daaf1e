package io.siyu.api.points;

import io.siyu.api.PersonalData;

import java.time.Instant;
import java.util.List;

import io.siyu.api.KeyedFact;

/**
 * Staff changed a member's points by hand. A positive adjustment forms lot {@code adjustment:<adjustmentId>}
 * (less {@code debtRepaid}, which paid off points owed); a negative one names the lots it took.
 *
 * @param memberId     the member
 * @param adjustmentId the adjustment's id
 * @param points       the signed change requested
 * @param reason       why
 * @param actor        who made it
 * @param lots         for a negative adjustment, the lots taken
 * @param debtRepaid   for a positive adjustment, points that paid off debt
 * @param expiresAt    for a positive adjustment, when its lot expires ({@code null}: never)
 * @param balanceAfter the balance after this event
 * @param debtAfter    points still owed after this event ({@code null} on events recorded before it was kept)
 */
public record PointsAdjusted(String memberId,
                             String adjustmentId,
                             long points,
                             @PersonalData String reason,
                             String actor,
                             List<LotTaken> lots,
                             long debtRepaid,
                             Instant expiresAt,
                             long balanceAfter,
                             Long debtAfter) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "adjustment:" + adjustmentId;
    }

    public PointsAdjusted {
        lots = lots == null ? List.of() : List.copyOf(lots);
    }
}
