package io.siyu.engine.access.web;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.access.AccessProperties;
import io.siyu.engine.access.AccessRefused;
import io.siyu.engine.access.Caller;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Tokens;
import reactor.core.publisher.Mono;

/**
 * Signing in. {@code POST /api/v1/auth/token} with a staff credential ({@code Authorization: Bearer siyu_…}) answers a
 * short-lived token for pages that keep it in session storage: {@code {"accessToken","tokenType":"Bearer",
 * "expiresIn" (seconds),"role"}}.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final Tokens tokens;
    private final AccessProperties access;

    AuthController(Tokens tokens, AccessProperties access) {
        this.tokens = tokens;
        this.access = access;
    }

    /** A token as the API answers it. */
    record TokenAnswer(String accessToken, String tokenType, long expiresIn, String role, String memberId) {

        static TokenAnswer of(Tokens.Issued issued, Role role, String memberId) {
            return new TokenAnswer(issued.accessToken(), "Bearer", issued.expiresIn(), role.code(), memberId);
        }
    }

    @PostMapping("/token")
    Mono<TokenAnswer> token(@AuthenticationPrincipal Caller caller) {
        if (caller.byToken()) {
            throw AccessRefused.forbidden("credential-required", "A token is exchanged for a staff credential's key, "
                    + "not for another token: sign in again with the credential", java.util.Map.of());
        }
        Tokens.Issued issued = tokens.issue(caller.role(), caller.subject(), caller.credentialId(),
                access.staffTokenTtl());
        return Mono.just(TokenAnswer.of(issued, caller.role(), null));
    }
}
