package io.siyu.engine.access;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.refusal.Refusal;
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

    /** A till request that names its member by one of the four fields. */
    public interface Named {
        String memberId();

        String openid();

        String unionid();

        String memberCode();

        default Identification identification() {
            return new Identification(memberId(), openid(), unionid(), memberCode());
        }
    }

    /**
     * Runs {@code work} for the member the request names. When a member code named it and the engine refuses the
     * transaction for a reason that wrote nothing, the code is freed for the till's corrected request; an outcome
     * that is not known (a timeout, a lost race) keeps it bound.
     */
    public <T> Mono<T> serve(Identification who, String useKey, Function<String, Mono<T>> work) {
        return resolve(who, useKey).flatMap(memberId -> work.apply(memberId).onErrorResume(failure ->
                who.memberCode() != null && refusedWithoutWriting(failure)
                        ? codes.release(who.memberCode(), useKey).then(Mono.error(failure))
                        : Mono.error(failure)));
    }

    private static boolean refusedWithoutWriting(Throwable failure) {
        return failure instanceof Refusal || failure instanceof AggregateNotFoundException
                || failure instanceof InvalidFieldException || failure instanceof AccessRefused;
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
