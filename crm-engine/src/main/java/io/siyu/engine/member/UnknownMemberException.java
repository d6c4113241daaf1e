package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A request named a member that does not exist. */
public final class UnknownMemberException extends Refusal {

    public UnknownMemberException(String memberId) {
        super("unknown-member", true, "There is no member " + memberId, Map.of("memberId", memberId));
    }

    private UnknownMemberException() {
        super("unknown-member", true, "No member is registered with this openid", Map.of());
    }

    /** No member has registered with the openid a caller asked for. */
    public static UnknownMemberException withOpenid() {
        return new UnknownMemberException();
    }
}
