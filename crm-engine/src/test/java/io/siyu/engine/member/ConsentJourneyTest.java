package io.siyu.engine.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * A member's consents over HTTP: what they agree to now, and every change with its channel, policy version and time,
 * newest first; a retried change appears once; an undeclared purpose is refused; a member the engine does not hold is
 * 404.
 */
@EngineTest
@SuppressWarnings("unchecked")
class ConsentJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    void consentsNowAndTheirHistoryNewestFirst() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        String consents = "/api/v1/members/" + memberId + "/consents";
        api.post(consents, Map.of("changeId", "C-1", "purpose", "marketing", "granted", true,
                "source", "mini_program_settings", "policyVersion", "2026-11")).expectStatus().isOk();
        api.post(consents, Map.of("changeId", "C-2", "purpose", "analytics", "granted", true)).expectStatus().isOk();
        api.post(consents, Map.of("changeId", "C-3", "purpose", "marketing", "granted", false,
                "source", "mini_program_settings")).expectStatus().isOk();
        api.post(consents, Map.of("changeId", "C-3", "purpose", "marketing", "granted", false,
                "source", "mini_program_settings")).expectStatus().isOk(); // a retry

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> answer = api.get(consents);
            assertThat(answer).containsEntry("memberId", memberId)
                    .containsEntry("consents", Map.of("analytics", true, "marketing", false));
            List<Map<String, Object>> history = (List<Map<String, Object>>) answer.get("history");
            assertThat(history).extracting(change -> change.get("changeId")).containsExactly("C-3", "C-2", "C-1");
            assertThat(history.get(0)).containsEntry("purpose", "marketing").containsEntry("granted", false)
                    .containsEntry("source", "mini_program_settings").containsKey("at");
            assertThat(history.get(2)).containsEntry("policyVersion", "2026-11");
        });
        // a purpose the brand has not declared is refused, naming the field; nothing is recorded
        api.post(consents, Map.of("changeId", "C-9", "purpose", "profiling_for_ads", "granted", true))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("purpose");
        web.get().uri("/api/v1/members/m-nobody-" + System.nanoTime() + "/consents").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.type")
                .isEqualTo("urn:siyu:problem:unknown-member");
    }
}
