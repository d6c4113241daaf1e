package io.siyu.engine.access;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoders;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Reads what a request presents and proves the caller from it: a JWT of ours (members, staff, agents), a JWT of the
 * configured identity provider (staff, roles from a claim), a {@code siyu_…} API key, or a signed request. A request
 * presenting nothing goes on unauthenticated (public routes answer it, others 401); one presenting something that
 * does not prove a caller is refused with 401 whatever the route.
 */
final class CallerAuthentication implements ReactiveAuthenticationManager {

    private final Tokens tokens;
    private final Credentials credentials;
    private final SignedRequests signed;
    private final AccessProperties.IdentityProvider identityProvider;
    private final ReactiveJwtDecoder identityProviderDecoder;

    CallerAuthentication(Tokens tokens, Credentials credentials, SignedRequests signed,
                         AccessProperties.IdentityProvider identityProvider, Clock clock) {
        this.tokens = tokens;
        this.credentials = credentials;
        this.signed = signed;
        this.identityProvider = identityProvider;
        this.identityProviderDecoder = identityProvider.configured() ? decoder(identityProvider, clock) : null;
    }

    private static ReactiveJwtDecoder decoder(AccessProperties.IdentityProvider provider, Clock clock) {
        NimbusReactiveJwtDecoder decoder = provider.jwkSetUri() == null || provider.jwkSetUri().isBlank()
                ? (NimbusReactiveJwtDecoder) ReactiveJwtDecoders.fromIssuerLocation(provider.issuerUri())
                : NimbusReactiveJwtDecoder.withJwkSetUri(provider.jwkSetUri()).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(30));
        timestamps.setClock(clock);
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(timestamps,
                new org.springframework.security.oauth2.jwt.JwtIssuerValidator(provider.issuerUri()))));
        return decoder;
    }

    /** What the request presents, not yet checked. */
    static final class Presented extends AbstractAuthenticationToken {

        enum Kind { TOKEN, API_KEY, SIGNED }

        final Kind kind;
        final String value;
        final SignedRequests.Signed signature;

        Presented(Kind kind, String value, SignedRequests.Signed signature) {
            super(List.of());
            this.kind = kind;
            this.value = value;
            this.signature = signature;
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return kind;
        }
    }

    Mono<Authentication> convert(ServerWebExchange exchange) {
        if (exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION).size() > 1) {
            return SecurityConfiguration.badCredentials("send one Authorization header");
        }
        if (SignedRequests.isSigned(exchange)) {
            Optional<SignedRequests.Signed> request = SignedRequests.read(exchange);
            return request.<Mono<Authentication>>map(value -> Mono.just(new Presented(Presented.Kind.SIGNED, null,
                    value))).orElseGet(() -> SecurityConfiguration.badCredentials(
                    "a signed request needs Credential, Timestamp (unix seconds), Nonce (8 to 64 of A-Z a-z 0-9 _ . : -) "
                            + "and Signature"));
        }
        String bearer = SecurityConfiguration.bearer(exchange);
        if (bearer == null) {
            String authorization = exchange.getRequest().getHeaders().getFirst("Authorization");
            return authorization == null ? Mono.empty()
                    : SecurityConfiguration.badCredentials("unknown authorization scheme; use Bearer or "
                    + SignedRequests.SCHEME);
        }
        return Mono.just(new Presented(bearer.startsWith("siyu_") ? Presented.Kind.API_KEY : Presented.Kind.TOKEN,
                bearer, null));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        Presented presented = (Presented) authentication;
        Mono<Caller> caller = switch (presented.kind) {
            case SIGNED -> signed.verify(presented.signature);
            case API_KEY -> credentials.verifyKey(presented.value)
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("unknown or revoked API key")));
            case TOKEN -> token(presented.value);
        };
        return caller.cast(Authentication.class)
                .onErrorMap(JwtException.class, failure -> new BadCredentialsException(
                        "invalid token: " + reason(failure)));
    }

    private Mono<Caller> token(String token) {
        if (Tokens.ours(token)) {
            return tokens.verify(token).flatMap(this::notRevoked);
        }
        if (identityProviderDecoder != null
                && Tokens.issuerOf(token).map(identityProvider.issuerUri()::equals).orElse(false)) {
            return identityProviderDecoder.decode(token).flatMap(jwt -> {
                Collection<String> roles = Optional.ofNullable(jwt.getClaimAsStringList(identityProvider.rolesClaim()))
                        .orElse(List.of());
                Optional<Role> role = roles.stream().map(name -> name.startsWith("siyu-") ? name.substring(5) : name)
                        .map(Role::fromCode).flatMap(Optional::stream).filter(Role::staff)
                        .max(java.util.Comparator.naturalOrder());
                String actor = Optional.ofNullable(jwt.getClaimAsString(identityProvider.actorClaim()))
                        .orElse(jwt.getSubject());
                return role.map(found -> Mono.just(new Caller(found, actor, "idp", true)))
                        .orElseGet(() -> Mono.error(new BadCredentialsException(
                                "the identity provider's token names no Siyu staff role")));
            });
        }
        return Mono.error(new BadCredentialsException("invalid token: not issued by Siyu or its identity provider"));
    }

    /**
     * A token made from a credential ({@code POST /auth/token}) stops working when the credential is revoked, as the
     * credential's own key does: one point read per staff request. Member and WeCom-sign-in tokens name no credential.
     */
    private Mono<Caller> notRevoked(Caller caller) {
        if (caller.role() == Role.MEMBER || !Credentials.isCredentialId(caller.credentialId())) {
            return Mono.just(caller);
        }
        return credentials.live(caller.credentialId()).map(live -> caller)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException(
                        "the credential this token was made from is revoked")));
    }

    private static String reason(JwtException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (message.contains("expired")) {
            return "expired";
        }
        if (message.contains("signature") || message.contains("Signed JWT rejected")) {
            return "bad signature";
        }
        return "rejected";
    }
}
