package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** The member was erased: the account takes no further command (410 {@code member-erased}). */
public final class MemberErasedException extends Refusal {

    public MemberErasedException(String memberId) {
        super("member-erased", false, "Member " + memberId + " was erased and takes no further command",
                Map.of("memberId", memberId));
    }

    @Override
    public int status() {
        return 410;
    }
}
