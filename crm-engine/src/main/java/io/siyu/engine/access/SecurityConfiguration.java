package io.siyu.engine.access;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.store.StoreProperties;
import io.siyu.engine.system.SecretKeys;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.config.WeComProperties;
import reactor.core.publisher.Mono;

/**
 * The security filter chain: every request proves its caller (a token of ours or of the identity provider, an API
 * key, or a signed request) and every route admits only the roles {@link AccessRules} names, with members held to
 * their own member and agents to their own contacts. No sessions and no cookies: every request carries its
 * credential, so there is no CSRF surface.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties({AccessProperties.class, MiniProgramProperties.class})
class SecurityConfiguration {

    /**
     * The firewall's refusals (an encoded slash or dot, "..", ";", NUL and the like in a path) as problem+json like
     * every other 400; Spring Security answers an empty 400 otherwise.
     */
    @Bean
    org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler exchangeRejected(ObjectMapper json) {
        AccessProblems problems = new AccessProblems(json);
        return (exchange, rejected) -> problems.write(exchange, org.springframework.http.HttpStatus.BAD_REQUEST,
                "bad-request", "The request's path or headers were refused before routing: encoded slashes or dots, "
                        + "'..', ';', NUL and control characters are not allowed", java.util.Map.of());
    }

    @Bean
    Tokens tokens(AccessProperties access, StoreProperties store, Clock clock) {
        byte[] key = SecretKeys.resolve(access.signingKey(), "siyu.access.signing-key (SIYU_ACCESS_SIGNING_KEY)",
                store, "token-signing.key");
        byte[] previous = access.previousSigningKey() == null || access.previousSigningKey().isBlank() ? null
                : java.util.Base64.getDecoder().decode(access.previousSigningKey().trim());
        return new Tokens(clock, key, previous);
    }

    @Bean
    Credentials credentials(MongoDatabase reactiveMongoDatabase, AccessProperties access, StoreProperties store,
                            Clock clock) {
        return new Credentials(reactiveMongoDatabase, SecretKeys.resolve(access.credentialKey(),
                "siyu.access.credential-key (SIYU_ACCESS_CREDENTIAL_KEY)", store, "credential.key"), clock);
    }

    @Bean
    SignedRequests signedRequests(Credentials credentials, MongoDatabase reactiveMongoDatabase, Clock clock,
                                  AccessProperties access) {
        return new SignedRequests(credentials, reactiveMongoDatabase, clock, access.signatureWindow());
    }

    @Bean
    AgentContacts agentContacts(MongoDatabase reactiveMongoDatabase, WeComApi weCom, WeComProperties weComProperties) {
        return new AgentContacts(reactiveMongoDatabase, weCom, weComProperties.apiConfigured());
    }

    @Bean
    MemberCodes memberCodes(MongoDatabase reactiveMongoDatabase, Clock clock, AccessProperties access) {
        return new MemberCodes(reactiveMongoDatabase, clock, access.memberCodeTtl());
    }

    @Bean
    RateLimits rateLimits(AccessProperties access, Clock clock) {
        return new RateLimits(access.rateLimits(), clock);
    }

    @Bean
    @ConditionalOnProperty(prefix = "siyu.miniapp", name = "app-id")
    MiniProgramLogin miniProgramLogin(MiniProgramProperties properties, MongoDatabase reactiveMongoDatabase,
                                      Clock clock) {
        return new MiniProgramLogin(properties, reactiveMongoDatabase, clock);
    }

    @Bean
    CallerAuthentication callerAuthentication(Tokens tokens, Credentials credentials, SignedRequests signed,
                                              AccessProperties access, Clock clock) {
        return new CallerAuthentication(tokens, credentials, signed, access.identityProvider(), clock);
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, CallerAuthentication authentication,
                                                  AgentContacts contacts, ObjectMapper json) {
        AccessProblems problems = new AccessProblems(json);
        AuthenticationWebFilter authenticate = new AuthenticationWebFilter(authentication);
        authenticate.setServerAuthenticationConverter(authentication::convert);
        authenticate.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        // a public route proves its caller itself: a stale token sent along (a widget logging in again) is ignored
        authenticate.setRequiresAuthenticationMatcher(exchange -> publicRoute(exchange)
                .flatMap(isPublic -> isPublic ? ServerWebExchangeMatcher.MatchResult.notMatch()
                        : ServerWebExchangeMatcher.MatchResult.match()));
        authenticate.setAuthenticationFailureHandler((filterExchange, failure) ->
                problems.unauthenticated(filterExchange.getExchange(), failure.getMessage()));
        WebFilter signedBodies = (exchange, chain) -> SignedRequests.isSigned(exchange)
                ? SignedRequests.withBodyDigest(exchange).flatMap(chain::filter) : chain.filter(exchange);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterBefore(signedBodies, SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAt(authenticate, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, failure) -> problems.unauthenticated(exchange,
                                "This route needs a credential: a bearer token, an API key or a signed request"))
                        .accessDeniedHandler((exchange, denied) -> problems.forbidden(exchange)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        + "frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(
                                org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter
                                        .ReferrerPolicy.NO_REFERRER)))
                .authorizeExchange(exchanges -> {
                    for (Route route : AccessRules.all()) {
                        exchanges.pathMatchers(route.method(), route.pattern()).access(rule(route, contacts));
                        if (route.method() == HttpMethod.GET) {
                            // WebFlux answers HEAD with the GET handler: the same callers may ask
                            exchanges.pathMatchers(HttpMethod.HEAD, route.pattern()).access(rule(route, contacts));
                        }
                    }
                    // a path and method no rule names has no handler either (RouteTableCheck makes sure at start):
                    // let the web layer answer it, 404 or 405, instead of a misleading 401/403
                    exchanges.anyExchange().permitAll();
                })
                .build();
    }

    private static final List<ServerWebExchangeMatcher> PUBLIC = AccessRules.all().stream().filter(Route::isPublic)
            .flatMap(route -> (route.method() == HttpMethod.GET ? List.of(HttpMethod.GET, HttpMethod.HEAD)
                    : List.of(route.method())).stream()
                    .map(method -> (ServerWebExchangeMatcher) ServerWebExchangeMatchers.pathMatchers(method,
                            route.pattern()))).toList();

    static Mono<Boolean> publicRoute(ServerWebExchange exchange) {
        return reactor.core.publisher.Flux.fromIterable(PUBLIC)
                .concatMap(matcher -> matcher.matches(exchange))
                .any(ServerWebExchangeMatcher.MatchResult::isMatch);
    }

    /** The decision for one route: the caller's role, then for members their own member, for agents their contacts. */
    static ReactiveAuthorizationManager<AuthorizationContext> rule(Route route, AgentContacts contacts) {
        if (route.isPublic()) {
            return (authentication, context) -> Mono.just(new AuthorizationDecision(true));
        }
        return (authentication, context) -> authentication
                .filter(Caller.class::isInstance).cast(Caller.class)
                .filter(caller -> route.roles().contains(caller.role()))
                .flatMap(caller -> scope(route, caller, context, contacts))
                .map(AuthorizationDecision::new)
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    private static Mono<Boolean> scope(Route route, Caller caller, AuthorizationContext context,
                                       AgentContacts contacts) {
        Map<String, Object> variables = context.getVariables();
        if (route.memberScoped()) {
            String memberId = String.valueOf(variables.get("memberId"));
            return switch (caller.role()) {
                case MEMBER -> Mono.just(memberId.equals(caller.subject()));
                case AGENT -> contacts.isContact(caller.subject(), memberId);
                default -> Mono.just(true);
            };
        }
        if (route.contactScoped() && caller.role() == Role.AGENT) {
            return contacts.follows(caller.subject(), String.valueOf(variables.get("externalUserId")));
        }
        return Mono.just(true);
    }

    static String bearer(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    static Mono<Authentication> badCredentials(String why) {
        return Mono.error(new BadCredentialsException(why));
    }
}
