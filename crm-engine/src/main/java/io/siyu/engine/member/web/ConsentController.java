package io.siyu.engine.member.web;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.member.ChangeConsent;
import io.siyu.api.member.ConsentResult;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** A member gives or withdraws consent for a purpose (PIPL); segments can require it. */
@RestController
@RequestMapping("/api/v1/members")
class ConsentController {

    private final MemberWrites writes;

    ConsentController(MemberWrites writes) {
        this.writes = writes;
    }

    record ConsentRequest(@NotBlank @Size(max = 64) String changeId,
                          @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9_-]+",
                                  message = "must be lower-case letters, digits, _ and -") String purpose,
                          @NotNull Boolean granted,
                          @Size(max = 64) String source) {
    }

    @PostMapping("/{memberId}/consents")
    Mono<ConsentResult> change(@PathVariable String memberId, @Valid @RequestBody ConsentRequest request) {
        return MemberIdPath.check(memberId).flatMap(id -> writes.send(id, new ChangeConsent(id, request.changeId(),
                request.purpose(), request.granted(), request.source())));
    }
}
