package io.siyu.engine.access;

import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.fasterxml.jackson.databind.ObjectMapper;

import reactor.core.publisher.Mono;

/**
 * Every request of a staff or integration credential takes a turn from that credential's bucket
 * ({@code siyu.access.rate-limits.requests-per-credential-per-minute}); past it the request is answered 429
 * {@code rate-limited} with {@code Retry-After} before any handler runs. Members are limited per action instead.
 */
@Component
@Order(1) // after the security chain (-100) has proved the caller
class CredentialLimits implements WebFilter {

    private final RateLimits limits;
    private final AccessProblems problems;

    CredentialLimits(RateLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.problems = new AccessProblems(json);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(Caller.class::isInstance).cast(Caller.class)
                .filter(caller -> caller.role() != Role.MEMBER && caller.credentialId() != null)
                .flatMap(caller -> admit(caller, exchange))
                .defaultIfEmpty(true)
                .flatMap(admitted -> admitted ? chain.filter(exchange) : Mono.empty());
    }

    /** @return whether the request may go on; if not, the 429 has been written */
    private Mono<Boolean> admit(Caller caller, ServerWebExchange exchange) {
        try {
            limits.credential(caller.credentialId());
            return Mono.just(true);
        } catch (AccessRefused tooMany) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                    String.valueOf(Math.max(1, tooMany.retryAfter().toSeconds())));
            return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, tooMany.type(), tooMany.getMessage(),
                    Map.of()).thenReturn(false);
        }
    }
}
