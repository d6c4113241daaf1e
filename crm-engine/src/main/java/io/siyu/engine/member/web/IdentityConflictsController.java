package io.siyu.engine.member.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.member.identity.MemberIdentities;
import reactor.core.publisher.Mono;

/**
 * For operators: two members claiming one WeChat unionid (the first claim holds, the second was refused). Answers
 * {@code {"conflicts":[{heldBy, refused, unionidMasked, source, firstAt, lastAt, attempts}]}}, newest first, at most
 * 100; the unionid is masked. Merging or splitting the two is an operator's decision made outside Siyu for now.
 */
@RestController
class IdentityConflictsController {

    private final MemberIdentities identities;

    IdentityConflictsController(MemberIdentities identities) {
        this.identities = identities;
    }

    record Conflicts(List<MemberIdentities.Conflict> conflicts) {
    }

    @GetMapping("/api/v1/admin/identity-conflicts")
    Mono<Conflicts> conflicts() {
        return identities.conflicts(100).collectList().map(Conflicts::new);
    }
}
