package io.siyu.engine.access;

import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/me/…} is the member route it mirrors for the token's own member: after the security chain has
 * admitted a member, the request is served as {@code /api/v1/members/<their id>/…}. One implementation per route, so
 * the mirror cannot drift from the original.
 */
@Component
@Order(0) // after the security chain (-100), which admits the member and puts them in the context
class MeRoutes implements WebFilter {

    private final List<PathPattern> mirrors = AccessRules.routes().stream().filter(route -> route.mirror() != null)
            .map(route -> PathPatternParser.defaultInstance.parse(route.pattern())).toList();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (!path.value().startsWith("/api/v1/me/")
                || mirrors.stream().noneMatch(mirror -> mirror.matches(path))) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication())
                .filter(Caller.class::isInstance).cast(Caller.class)
                .filter(caller -> caller.role() == Role.MEMBER)
                .map(caller -> exchange.mutate().request(exchange.getRequest().mutate()
                        .path("/api/v1/members/" + caller.subject() + path.value().substring("/api/v1/me".length()))
                        .build()).build())
                .defaultIfEmpty(exchange)
                // exactly one pass down the chain: chain.filter completes empty, so no switchIfEmpty after it
                .flatMap(chain::filter);
    }
}
