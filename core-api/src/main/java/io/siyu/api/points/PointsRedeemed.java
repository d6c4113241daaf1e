package io.siyu.api.points;

import io.siyu.api.PersonalData;

import java.util.List;

import io.siyu.api.KeyedFact;

/**
 * A member spent points, taken from their lots oldest expiry first.
 *
 * @param memberId     the member
 * @param redemptionId the redemption's id
 * @param points       points spent (positive)
 * @param reason       what they were spent on
 * @param lots         the lots they were taken from
 * @param balanceAfter the balance after this event
 */
public record PointsRedeemed(String memberId,
                             String redemptionId,
                             long points,
                             @PersonalData String reason,
                             List<LotTaken> lots,
                             long balanceAfter) implements KeyedFact {

    @Override
    public String idempotencyKey() {
        return "redemption:" + redemptionId;
    }

    public PointsRedeemed {
        lots = lots == null ? List.of() : List.copyOf(lots);
    }
}
