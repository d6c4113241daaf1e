package io.siyu.engine.tier;

/**
 * What counts towards a tier over the qualification window: net spend (refunds count against it) and net purchase
 * points (reversals count against them).
 *
 * @param spendFen net spend in fen
 * @param points   net purchase points
 */
public record Qualifying(long spendFen, long points) {

    public long on(TierBasis basis) {
        return basis == TierBasis.SPEND ? spendFen : points;
    }
}
