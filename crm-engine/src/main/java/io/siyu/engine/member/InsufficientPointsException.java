package io.siyu.engine.member;

import java.util.Map;

/** A redemption asked for more points than the member has. */
public final class InsufficientPointsException extends MemberRefusal {

    private final long balance;
    private final long requested;

    InsufficientPointsException(long balance, long requested) {
        super("Cannot redeem " + requested + " points: the balance is " + balance);
        this.balance = balance;
        this.requested = requested;
    }

    @Override
    public String type() {
        return "insufficient-points";
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("balance", balance, "requested", requested);
    }
}
