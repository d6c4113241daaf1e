package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/**
 * A redemption asked for more points than the member has available: the balance less the points held for reward
 * redemptions still being paid. Extensions {@code balance}, {@code held}, {@code available}, {@code requested}
 * (points).
 */
public final class InsufficientPointsException extends Refusal {

    InsufficientPointsException(long balance, long held, long requested) {
        super("insufficient-points", false, "Cannot redeem " + requested + " points: " + (balance - held)
                        + " available" + (held == 0 ? "" : " (balance " + balance + ", " + held
                        + " held for reward redemptions being paid)"),
                Map.of("balance", balance, "held", held, "available", balance - held, "requested", requested));
    }
}
