package io.siyu.engine.member;

import java.util.Map;

/** A request named a member that does not exist. */
public final class UnknownMemberException extends MemberRefusal {

    public UnknownMemberException(String memberId) {
        super("unknown-member", true, "There is no member " + memberId, Map.of("memberId", memberId));
    }
}
