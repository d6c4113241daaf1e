package io.siyu.engine.privacy.web;

import java.time.Instant;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.member.EraseMember;
import io.siyu.api.member.ErasureResult;
import io.siyu.engine.access.Caller;
import io.siyu.engine.privacy.Erasure;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/members/{memberId}/erasure {"reason"}} (operator, or the member's own token; {@code /me/erasure}
 * too): erases the member (PIPL Art. 47). Records {@code MemberErased}, has the WeCom bridge and identity claims drop
 * what they hold, takes Siyu's tags off the member's WeCom contact entries, and destroys the member's data key, so
 * every personal field reads as erased everywhere while points, amounts and dates stay for accounting. Answers
 * {@code {memberId, erased: true, erasedNow, keyDestroyed, externalUsers, completedAt}}; a repeat answers
 * {@code erasedNow: false} and changes nothing. 400 naming {@code reason} when it is missing or over 500 characters;
 * 404 {@code unknown-member}.
 */
@RestController
class ErasureController {

    private final MemberWrites writes;
    private final Erasure erasure;

    ErasureController(MemberWrites writes, Erasure erasure) {
        this.writes = writes;
        this.erasure = erasure;
    }

    record ErasureRequest(@NotBlank @Size(max = 500) String reason) {
    }

    record ErasureAnswer(String memberId, boolean erased, boolean erasedNow, boolean keyDestroyed, int externalUsers,
                         Instant completedAt) {
    }

    @PostMapping("/api/v1/members/{memberId}/erasure")
    Mono<ErasureAnswer> erase(@PathVariable String memberId, @Valid @RequestBody ErasureRequest request,
                              @AuthenticationPrincipal Caller caller) {
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<ErasureResult>send(id, new EraseMember(id, request.reason(), caller.actor()))
                        .flatMap(result -> Mono.fromCallable(() -> erasure.complete(id))
                                .subscribeOn(Schedulers.boundedElastic())
                                .map(done -> new ErasureAnswer(id, true, result.erasedNow(), done.keyDestroyed(),
                                        done.externalUsers(), done.completedAt()))));
    }
}
