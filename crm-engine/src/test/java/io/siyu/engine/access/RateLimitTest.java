package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * Abuse limits are token buckets on the engine's clock: a member asking for member codes faster than the limit is
 * told to wait (429 with Retry-After, nothing issued), and is served again once the clock has moved on. Security
 * headers come with every answer, refusals included, and a refusal never echoes the credential it refused.
 */
@EngineTest
class RateLimitTest {

    @Autowired
    WebTestClient web;
    @Autowired
    AllowedCallers callers;
    @Autowired
    TestClock clock;
    @Autowired
    AccessProperties access;

    @Test
    void memberCodesBeyondTheLimitWaitForTheClockNotForASleep() {
        String member = "Bearer " + callers.memberToken(new Api(web).register());
        int limit = access.rateLimits().memberCodesPerMinute();
        // the bucket refills smoothly as the engine's clock runs, so count the answers until the first refusal
        int issued = 0;
        EntityExchangeResult<String> answer = null;
        while ((answer == null || answer.getStatus().value() == 200) && issued <= 2 * limit) {
            answer = web.get().uri("/api/v1/me/member-code").header(HttpHeaders.AUTHORIZATION, member).exchange()
                    .expectBody(String.class).returnResult();
            issued += answer.getStatus().value() == 200 ? 1 : 0;
        }
        assertThat(issued).isBetween(limit, 2 * limit);
        assertThat(answer.getStatus().value()).isEqualTo(429);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Integer.parseInt(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1, 60);
        assertThat(answer.getResponseBody()).contains("urn:siyu:problem:rate-limited");
        clock.advance(Duration.ofSeconds(60));
        web.get().uri("/api/v1/me/member-code").header(HttpHeaders.AUTHORIZATION, member).exchange()
                .expectStatus().isOk();
    }

    @Test
    void everyAnswerCarriesSecurityHeadersAndNoRefusalEchoesTheSecret() {
        String forgedKey = "siyu_cr0000000000000000_this-is-the-secret-value";
        String body = web.get().uri("/api/v1/admin/projections").header(HttpHeaders.AUTHORIZATION, "Bearer " + forgedKey)
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().exists("Content-Security-Policy")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueEquals("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).doesNotContain("this-is-the-secret-value");
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
        web.head().uri("/actuator/health").exchange().expectStatus().isOk();
        // what no rule names has no handler either: the web layer says so, whoever asks
        web.get().uri("/api/v1/no-such-route").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:not-found");
        web.put().uri("/api/v1/admin/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer "
                + callers.key(Role.OPERATOR)).exchange().expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:method-not-allowed");
        web.head().uri("/api/v1/admin/projections").header(HttpHeaders.AUTHORIZATION, "Bearer "
                + callers.key(Role.OPERATOR)).exchange().expectStatus().isOk();
        web.head().uri("/api/v1/admin/projections").header(HttpHeaders.AUTHORIZATION, "Bearer "
                + callers.key(Role.MARKETER)).exchange().expectStatus().isForbidden();
    }
}
