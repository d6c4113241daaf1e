package io.siyu.engine.member;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/**
 * A registration named a member's openid with a unionid other than the one the member has: WeChat gives one person one
 * unionid per Open Platform account, so one of the two is wrong; nothing is changed. Field {@code unionid}.
 */
public final class UnionidMismatchException extends Refusal {

    UnionidMismatchException(String memberId) {
        super("unionid-mismatch", false, "Member " + memberId + " already has another WeChat unionid; a member's "
                + "unionid does not change (field unionid)", Map.of("memberId", memberId, "field", "unionid"));
    }
}
