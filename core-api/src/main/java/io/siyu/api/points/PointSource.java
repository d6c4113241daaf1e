package io.siyu.api.points;

/**
 * What a point movement came from; together with a source id (order id, refund id, redemption id, business day,
 * adjustment id) it names the fact behind every change of a balance.
 */
public enum PointSource {
    PURCHASE,
    REFUND,
    CHECK_IN,
    REDEMPTION,
    ADJUSTMENT,
    EXPIRY
}
