package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** The member already has as many reward redemptions in flight as one member may; one of them must end first. */
public final class TooManyPendingRedemptionsException extends Refusal {

    TooManyPendingRedemptionsException(int pending) {
        super("too-many-pending-redemptions", false, "The member has " + pending
                + " reward redemptions in flight, the most one member may; retry once one has ended",
                Map.of("pending", pending));
    }
}
