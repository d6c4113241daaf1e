package io.siyu.engine.web;

import java.util.regex.Pattern;

import io.siyu.engine.member.UnknownMemberException;
import reactor.core.publisher.Mono;

/** A member id from a path: anything that cannot be a member id is an unknown member, without touching the store. */
public final class MemberIdPath {

    private static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private MemberIdPath() {
    }

    public static Mono<String> check(String memberId) {
        return MEMBER_ID.matcher(memberId).matches()
                ? Mono.just(memberId)
                : Mono.error(new UnknownMemberException(memberId.length() > 64 ? memberId.substring(0, 64) : memberId));
    }
}
