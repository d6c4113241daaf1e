package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A redemption asked for more points than the member has. */
public final class InsufficientPointsException extends Refusal {

    InsufficientPointsException(long balance, long requested) {
        super("insufficient-points", false, "Cannot redeem " + requested + " points: the balance is " + balance,
                Map.of("balance", balance, "requested", requested));
    }
}
