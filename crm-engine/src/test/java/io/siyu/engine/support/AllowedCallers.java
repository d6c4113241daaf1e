package io.siyu.engine.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.siyu.engine.access.AccessRules;
import io.siyu.engine.access.Credentials;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Route;
import io.siyu.engine.access.Tokens;
import reactor.core.publisher.Mono;

/**
 * For tests about what the engine does rather than who may ask it: a request sent without an Authorization header is
 * sent as a caller the route admits (read from the same route table the security chain uses): the member of the path
 * for a member route, else an integration, operator, marketer or agent credential made for the test engine. Tests
 * about access set their own header and are left alone.
 */
public final class AllowedCallers implements ExchangeFilterFunction {

    private static final List<Role> PREFERENCE = List.of(Role.INTEGRATION, Role.OPERATOR, Role.MARKETER, Role.AGENT,
            Role.METRICS);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private record Matcher(Route route, PathPattern pattern) {
    }

    private final Credentials credentials;
    private final Tokens tokens;
    private final Map<Role, String> keys = new ConcurrentHashMap<>();
    private final List<Matcher> routes = AccessRules.all().stream()
            .map(route -> new Matcher(route, PathPatternParser.defaultInstance.parse(route.pattern()))).toList();

    private AllowedCallers(Credentials credentials, Tokens tokens) {
        this.credentials = credentials;
        this.tokens = tokens;
    }

    public static AllowedCallers of(ApplicationContext engine) {
        return new AllowedCallers(engine.getBean(Credentials.class), engine.getBean(Tokens.class));
    }

    /** An API key of a credential with the role, made once per engine. */
    public String key(Role role) {
        return keys.computeIfAbsent(role, any -> credentials.create(role,
                "test-" + role.code() + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime(), "test")
                .block().secret());
    }

    /** A member token for the member. */
    public String memberToken(String memberId) {
        return tokens.issue(Role.MEMBER, memberId, "test", Duration.ofHours(2)).accessToken();
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (request.headers().containsKey(HttpHeaders.AUTHORIZATION)) {
            return next.exchange(request);
        }
        PathContainer path = PathContainer.parsePath(request.url().getRawPath());
        Optional<String> authorization = routes.stream()
                .filter(matcher -> matcher.route().method().equals(request.method()) && matcher.pattern().matches(path))
                .findFirst()
                .flatMap(matcher -> credentialFor(matcher, path));
        return next.exchange(authorization.map(value -> ClientRequest.from(request)
                .header(HttpHeaders.AUTHORIZATION, value).build()).orElse(request));
    }

    private Optional<String> credentialFor(Matcher matcher, PathContainer path) {
        Route route = matcher.route();
        if (route.isPublic()) {
            return Optional.empty();
        }
        if (route.roles().contains(Role.MEMBER) && route.memberScoped()) {
            var info = matcher.pattern().matchAndExtract(path);
            return Optional.of("Bearer " + memberToken(info.getUriVariables().get("memberId")));
        }
        return PREFERENCE.stream().filter(route.roles()::contains).findFirst()
                .map(role -> "Bearer " + key(role));
    }
}
