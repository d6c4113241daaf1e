package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import com.mongodb.client.MongoClient;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import com.mongodb.client.MongoDatabase;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;

/**
 * Every route the router has × every kind of caller. The routes come from the engine's own route table (the request
 * mappings, checked equal to {@link AccessRules}, plus the {@code /me} mirrors and Actuator's); a caller is admitted
 * when the table names its role and, on a member route, the member is theirs (a member) or their WeCom contact (an
 * agent). Refused callers get 401 or 403 and their request wrote nothing (events, credentials, member codes and the
 * callback log counted before and after each); admitted callers get anything but 401 or 403. Its own engine, so that
 * no other test's writes land between the counts.
 */
@EngineTest
@TestPropertySource(properties = {"siyu.test.engine=authorization-matrix",
        "siyu.access.rate-limits.requests-per-credential-per-minute=" + AuthorizationMatrixTest.PER_CREDENTIAL})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AuthorizationMatrixTest {

    static final int PER_CREDENTIAL = 200;

    @Autowired
    AccessHousekeeping housekeeping;

    @Test
    void aCredentialPastItsRequestLimitWaitsForTheClockAndNonceAndCodeMemoryIsSweptByTime() {
        WebTestClient plain = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        String key = "Bearer " + credentials.create(Role.INTEGRATION, "limited-" + System.nanoTime(), "matrix")
                .block().secret();
        // the bucket refills smoothly as the engine's clock runs, so count the answers until the first refusal
        int admitted = 0;
        EntityExchangeResult<String> answer = null;
        while ((answer == null || answer.getStatus().value() == 404) && admitted <= 2 * PER_CREDENTIAL) {
            answer = plain.get().uri("/api/v1/members/by-openid/nobody").header(HttpHeaders.AUTHORIZATION, key)
                    .exchange().expectBody(String.class).returnResult();
            admitted += answer.getStatus().value() == 404 ? 1 : 0;
        }
        assertThat(admitted).isBetween(PER_CREDENTIAL, 2 * PER_CREDENTIAL);
        assertThat(answer.getStatus().value()).isEqualTo(429);
        assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        assertThat(answer.getResponseBody()).contains("urn:siyu:problem:rate-limited");
        clock.advance(Duration.ofSeconds(60));
        plain.get().uri("/api/v1/members/by-openid/nobody").header(HttpHeaders.AUTHORIZATION, key).exchange()
                .expectStatus().isNotFound();

        MongoDatabase database = syncMongoClient.getDatabase(endpoint.database());
        String apiKey = key.substring("Bearer ".length());
        String swept = (String) plain.post().uri("/api/v1/members").header(HttpHeaders.AUTHORIZATION,
                        io.siyu.engine.support.Signer.authorization(apiKey, "POST", "/api/v1/members",
                                clock.instant().getEpochSecond(), "sweep-nonce-1", "{\"openid\":\"o-sweep\"}"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"openid\":\"o-sweep\"}").exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId");
        String memberToken = "Bearer " + callers.memberToken(swept);
        plain.get().uri("/api/v1/me/member-code").header(HttpHeaders.AUTHORIZATION, memberToken).exchange()
                .expectStatus().isOk();
        assertThat(database.getCollection(SignedRequests.NONCES).countDocuments()).isPositive();
        assertThat(database.getCollection(MemberCodes.COLLECTION).countDocuments()).isPositive();
        housekeeping.sweep(java.util.Date.from(clock.instant().plus(Duration.ofMinutes(11))));
        assertThat(database.getCollection(SignedRequests.NONCES).countDocuments()).as("nonces past the window")
                .isZero();
        assertThat(database.getCollection(MemberCodes.COLLECTION).countDocuments()).as("codes not yet a day late")
                .isPositive();
        housekeeping.sweep(java.util.Date.from(clock.instant().plus(Duration.ofDays(2))));
        assertThat(database.getCollection(MemberCodes.COLLECTION).countDocuments()).as("codes a day past expiry")
                .isZero();
    }

    /** The brand's identity provider: its keys at a JWKS URL, its tokens carrying staff roles in a claim. */
    static final String ISSUER = "https://idp.brand.example";
    static final RSAKey IDP_KEY = rsaKey("idp-key-1");
    static final HttpServer JWKS = jwks();

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry properties) {
        properties.add("siyu.access.identity-provider.issuer-uri", () -> ISSUER);
        properties.add("siyu.access.identity-provider.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static HttpServer jwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] keys = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, keys.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(keys);
                }
            });
            server.start();
            return server;
        } catch (java.io.IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    private String idpToken(RSAKey key, List<String> roles) throws JOSEException {
        java.time.Instant now = clock.instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).subject("00u-alice").claim("preferred_username", "alice")
                        .claim("roles", roles).issueTime(java.util.Date.from(now))
                        .expirationTime(java.util.Date.from(now.plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        return "Bearer " + jwt.serialize();
    }

    @Test
    void staffSignedInAtTheBrandsIdentityProviderGetTheRoleItsClaimNames() throws JOSEException {
        WebTestClient plain = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        String marketer = idpToken(IDP_KEY, List.of("siyu-marketer", "employee"));
        plain.get().uri("/api/v1/admin/earning-rules").header(HttpHeaders.AUTHORIZATION, marketer).exchange()
                .expectStatus().isOk();
        plain.post().uri("/api/v1/segments").header(HttpHeaders.AUTHORIZATION, marketer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("segmentId", "idp-" + System.nanoTime(),
                        "name", "by the identity provider", "criteria", Map.of("tier", Map.of("in", List.of("gold")))))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.actor").isEqualTo("marketer:alice");
        plain.post().uri("/api/v1/admin/earning-rules").header(HttpHeaders.AUTHORIZATION, marketer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isForbidden();
        plain.get().uri("/api/v1/admin/earning-rules")
                .header(HttpHeaders.AUTHORIZATION, idpToken(rsaKey("idp-key-1"), List.of("siyu-marketer")))
                .exchange().expectStatus().isUnauthorized();
        plain.get().uri("/api/v1/admin/earning-rules")
                .header(HttpHeaders.AUTHORIZATION, idpToken(IDP_KEY, List.of("employee"))).exchange()
                .expectStatus().isUnauthorized();
    }

    private static final List<String> WRITE_TARGETS = List.of("events", Credentials.COLLECTION,
            MemberCodes.COLLECTION, "wecom_callbacks", "member_openids");

    @Autowired
    WebTestClient web;
    @Autowired
    AllowedCallers callers;
    @Autowired
    Tokens tokens;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;
    @Autowired
    RequestMappingHandlerMapping requestMappingHandlerMapping;
    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** A kind of caller: what it sends, and whether a route admits it. */
    private record CallerKind(String name, String authorization, Function<Route, Boolean> admitted) {
    }

    @Test
    void theRouterAndTheAccessTableNameTheSameRoutes() {
        Set<String> ruled = new TreeSet<>();
        AccessRules.routes().stream().filter(route -> route.mirror() == null).forEach(route -> ruled.add(route.key()));
        assertThat(RouteTableCheck.declared(requestMappingHandlerMapping)).isEqualTo(ruled);
    }

    @Test
    void everyRouteAdmitsExactlyItsCallersAndARefusedRequestWritesNothing() {
        String staffWith = "staff-matrix-with-" + System.nanoTime();
        String staffWithout = "staff-matrix-without-" + System.nanoTime();
        String unionid = "u-matrix-" + System.nanoTime();
        String external = "wm-matrix-" + System.nanoTime();
        Api api = new Api(web);
        String memberA = api.register();
        String memberB = api.registerWith(unionid, null);
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        SimulatedWeCom.WECOM.follow(external, staffWith);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", staffWith, external, null, callbacks.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Document facts = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_facts")
                    .find(new Document("_id", memberB)).first();
            return facts != null && facts.getList("contacts", Document.class, List.of()).stream()
                    .anyMatch(contact -> staffWith.equals(contact.getString("staffUserId")));
        });

        String agentWith = "Bearer " + credential(Role.AGENT, staffWith);
        String agentWithout = "Bearer " + credential(Role.AGENT, staffWithout);
        String expired = "Bearer " + tokens.issue(Role.OPERATOR, "matrix-op", "matrix", Duration.ofSeconds(1))
                .accessToken();
        clock.advance(Duration.ofSeconds(2));
        String forged = "Bearer " + forge(tokens.issue(Role.MEMBER, memberA, "matrix", Duration.ofHours(1))
                .accessToken(), memberB);
        List<CallerKind> kinds = List.of(
                new CallerKind("anonymous", null, route -> false),
                new CallerKind("expired token", expired, route -> false),
                new CallerKind("forged token", forged, route -> false),
                new CallerKind("member A on B", "Bearer " + callers.memberToken(memberA),
                        route -> route.roles().contains(Role.MEMBER) && !route.memberScoped()),
                new CallerKind("member B", "Bearer " + callers.memberToken(memberB),
                        route -> route.roles().contains(Role.MEMBER)),
                new CallerKind("agent with the contact", agentWith, route -> route.roles().contains(Role.AGENT)),
                new CallerKind("agent without the contact", agentWithout, route -> route.roles().contains(Role.AGENT)
                        && !route.memberScoped() && !route.contactScoped()),
                new CallerKind("marketer", "Bearer " + callers.key(Role.MARKETER),
                        route -> route.roles().contains(Role.MARKETER)),
                new CallerKind("operator", "Bearer " + callers.key(Role.OPERATOR),
                        route -> route.roles().contains(Role.OPERATOR)),
                new CallerKind("integration", "Bearer " + callers.key(Role.INTEGRATION),
                        route -> route.roles().contains(Role.INTEGRATION)));

        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("memberId", memberB);
        variables.put("externalUserId", external);
        variables.put("openid", "o-matrix-nobody");
        variables.put("redemptionId", "R-matrix");
        variables.put("rewardId", "reward-matrix");
        variables.put("segmentId", "segment-matrix");
        variables.put("campaignId", "campaign-matrix");
        variables.put("state", "state-matrix");
        variables.put("projection", "no-such-projection");
        variables.put("group", "no-such-group");
        variables.put("credentialId", "no-such-credential");
        variables.put("runId", "rc-matrix");
        variables.put("rotationId", "kr-matrix");
        variables.put("stage", "first_purchase");

        List<String> failures = new ArrayList<>();
        int cells = 0;
        for (Route route : AccessRules.all()) {
            String path = concrete(route.pattern(), variables);
            for (CallerKind kind : kinds) {
                boolean admitted = route.isPublic() || kind.admitted().apply(route);
                Map<String, Long> before = counts();
                int status = send(route, path, kind.authorization());
                cells++;
                boolean refused = status == 401 || status == 403;
                if (admitted == refused) {
                    failures.add(route.key() + " as " + kind.name() + ": " + status
                            + (admitted ? " (should be admitted)" : " (should be refused)"));
                }
                if (refused) {
                    Map<String, Long> after = counts();
                    if (!after.equals(before)) {
                        failures.add(route.key() + " as " + kind.name() + " was refused but wrote: " + before
                                + " -> " + after);
                    }
                }
            }
        }
        assertThat(failures).as("matrix of %d routes x %d callers = %d cells", AccessRules.all().size(),
                kinds.size(), cells).isEmpty();
        assertThat(cells).isGreaterThanOrEqualTo(60 * kinds.size());
    }

    private String credential(Role role, String name) {
        return syncCreate(role, name);
    }

    @Autowired
    Credentials credentials;

    private String syncCreate(Role role, String name) {
        return credentials.create(role, name, "matrix").block().secret();
    }

    /** A token of member A with its claims rewritten to name member B, keeping A's signature. */
    private static String forge(String token, String memberB) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String rewritten = claims.replaceAll("\"sub\":\"[^\"]*\"", "\"sub\":\"" + memberB + "\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(rewritten.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static String concrete(String pattern, Map<String, String> variables) {
        String path = pattern.replace("/**", "/x");
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            path = path.replace("{" + variable.getKey() + "}", variable.getValue());
        }
        assertThat(path).as(pattern).doesNotContain("{");
        return path;
    }

    private int send(Route route, String path, String authorization) {
        // a client of its own: nothing fills in a credential for the anonymous caller
        WebTestClient.RequestBodySpec request = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .build().method(route.method()).uri(path);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        WebTestClient.RequestHeadersSpec<?> ready = switch (route.method().name()) {
            // a body that validation refuses, so admitted writes write nothing either
            case "POST", "PUT" -> request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
            default -> request;
        };
        return ready.exchange().returnResult(byte[].class).getStatus().value();
    }

    private Map<String, Long> counts() {
        MongoDatabase database = syncMongoClient.getDatabase(endpoint.database());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String collection : WRITE_TARGETS) {
            counts.put(collection, database.getCollection(collection).countDocuments());
        }
        return counts;
    }
}
