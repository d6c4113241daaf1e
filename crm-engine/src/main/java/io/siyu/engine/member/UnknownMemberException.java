package io.siyu.engine.member;

import java.util.Map;

/** A request named a member that does not exist. */
public final class UnknownMemberException extends MemberRefusal {

    private final String memberId;

    public UnknownMemberException(String memberId) {
        super("There is no member " + memberId);
        this.memberId = memberId;
    }

    @Override
    public String type() {
        return "unknown-member";
    }

    @Override
    public boolean notFound() {
        return true;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("memberId", memberId);
    }
}
