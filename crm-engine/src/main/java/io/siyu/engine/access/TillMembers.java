package io.siyu.engine.access;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.wecom.identity.UnionidDirectory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Which member a till (or any integration) means: exactly one of {@code memberId}, {@code openid}, {@code unionid} or
 * {@code memberCode}. A member code is bound to the transaction it serves ({@code useKey}).
 */
@Component
public class TillMembers {

    private final MemberIdentities openids;
    private final UnionidDirectory unionids;
    private final MemberCodes codes;

    TillMembers(MemberIdentities openids, UnionidDirectory unionids, MemberCodes codes) {
        this.openids = openids;
        this.unionids = unionids;
        this.codes = codes;
    }

    /** How a request names its member. */
    public record Identification(String memberId, String openid, String unionid, String memberCode) {
    }

    public Mono<String> resolve(Identification who, String useKey) {
        long given = Stream.of(who.memberId(), who.openid(), who.unionid(), who.memberCode())
                .filter(Objects::nonNull).count();
        if (given != 1) {
            return Mono.error(new InvalidFieldException("memberCode",
                    "give exactly one of memberId, openid, unionid or memberCode"));
        }
        if (who.memberId() != null) {
            return MemberIdPath.check(who.memberId());
        }
        if (who.memberCode() != null) {
            return codes.redeem(who.memberCode(), useKey);
        }
        if (who.openid() != null) {
            return openids.find(who.openid()).switchIfEmpty(Mono.error(() -> unknown("openid")));
        }
        return Mono.fromCallable(() -> unionids.memberOf(who.unionid()).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .switchIfEmpty(Mono.error(() -> unknown("unionid")));
    }

    private static AccessRefused unknown(String field) {
        return AccessRefused.notFound("unknown-member", "No member has this " + field,
                Map.of("errors", List.of(Map.of("field", field, "reason", "no member has it"))));
    }
}
