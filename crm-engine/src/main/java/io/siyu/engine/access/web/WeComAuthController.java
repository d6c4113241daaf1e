package io.siyu.engine.access.web;



import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.access.AccessProperties;
import io.siyu.engine.access.AccessRefused;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Tokens;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.config.WeComProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The WeCom chat sidebar signs in: {@code POST /api/v1/auth/wecom {"code"}} (public) exchanges a WeCom OAuth code
 * ({@code auth/getuserinfo}) for an agent token whose subject is the staff member's WeCom userid:
 * {@code {"accessToken","tokenType":"Bearer","expiresIn","role":"agent"}}. The token reaches only that staff member's
 * contacts. 401 {@code invalid-wecom-code} (bad or used code, or not a staff member), 502 {@code wecom-unavailable},
 * 503 {@code wecom-not-configured}.
 */
@RestController
class WeComAuthController {

    private final WeComApi weCom;
    private final Tokens tokens;
    private final AccessProperties access;

    private final WeComProperties properties;

    WeComAuthController(WeComApi weCom, Tokens tokens, AccessProperties access, WeComProperties properties) {
        this.properties = properties;
        this.weCom = weCom;
        this.tokens = tokens;
        this.access = access;
    }

    record CodeRequest(@NotBlank @Size(max = 128) String code) {
    }

    @PostMapping("/api/v1/auth/wecom")
    Mono<AuthController.TokenAnswer> login(@Valid @RequestBody CodeRequest request) {
        if (!properties.apiConfigured()) {
            throw new AccessRefused(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "wecom-not-configured",
                    "WeCom is not configured on this engine (siyu.wecom.corp-id and .secret)", java.util.Map.of(), null);
        }
        return Mono.fromCallable(() -> weCom.staffOfOAuthCode(request.code()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(staff -> Mono.justOrEmpty(staff))
                .switchIfEmpty(Mono.error(() -> AccessRefused.unauthenticated("invalid-wecom-code",
                        "WeCom did not accept the code, or it does not belong to a staff member")))
                .map(userId -> AuthController.TokenAnswer.of(tokens.issue(Role.AGENT, userId, "wecom-oauth",
                        access.staffTokenTtl()), Role.AGENT, null));
    }

}
