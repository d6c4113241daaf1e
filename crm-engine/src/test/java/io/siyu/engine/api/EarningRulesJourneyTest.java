package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * Publishing earning rules over HTTP and earning under them. The rules apply from their effective time to purchases
 * that happened from then on; other tests' purchases happen at the real time, before it, so they keep version 0.
 */
@EngineTest
class EarningRulesJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    @SuppressWarnings("unchecked")
    void publishedRulesApplyFromTheirEffectiveTimeAndEveryMovementSaysWhy() {
        Api api = new Api(web);
        Instant effectiveFrom = clock.instant().plus(Duration.ofMinutes(1));
        Map<String, Object> rules = Map.of(
                "pointsPerYuan", 1,
                "storeMultipliers", Map.of("RULES-STORE", 1.5),
                "categoryMultipliers", Map.of("rules-test-skincare", 2),
                "campaigns", List.of(Map.of("id", "rules-test-week", "start", effectiveFrom.toString(),
                        "end", effectiveFrom.plus(Duration.ofDays(7)).toString(), "multiplier", 1)),
                "perOrderCap", 1000,
                "checkInPoints", 5,
                "streakBonuses", Map.of("7", 20));
        Map<String, Object> publish = Map.of("version", 1, "effectiveFrom",
                effectiveFrom.atOffset(ZoneOffset.ofHours(8)).toString(), "rules", rules, "actor", "admin-1");
        api.post("/api/v1/admin/earning-rules", publish).expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.duplicate").isEqualTo(false);
        api.post("/api/v1/admin/earning-rules", publish).expectStatus().isOk()
                .expectBody().jsonPath("$.duplicate").isEqualTo(true);
        api.post("/api/v1/admin/earning-rules", Map.of("version", 1, "effectiveFrom", publish.get("effectiveFrom"),
                        "rules", Map.of("pointsPerYuan", 2, "checkInPoints", 5), "actor", "admin-1"))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:idempotency-key-reused");
        api.post("/api/v1/admin/earning-rules", Map.of("version", 3, "effectiveFrom", publish.get("effectiveFrom"),
                        "rules", rules, "actor", "admin-1"))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:rules-out-of-order");
        api.post("/api/v1/admin/earning-rules", Map.of("version", 2, "effectiveFrom", "2020-01-01T00:00:00+08:00",
                        "rules", rules, "actor", "admin-1"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("effectiveFrom");
        api.post("/api/v1/admin/earning-rules", Map.of("version", 2, "effectiveFrom", publish.get("effectiveFrom"),
                        "rules", Map.of("pointsPerYuan", 1, "tierMultipliers", Map.of("gold", 500), "checkInPoints", 5),
                        "actor", "admin-1"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("rules.tierMultipliers.gold");

        clock.advance(Duration.ofMinutes(2));
        String memberId = api.register();
        Instant boughtAt = clock.instant().minusSeconds(10);
        // 300 × 2 (category) + 100 = 700, × 1.5 (store) = 1050, capped at 1000
        api.post("/api/v1/members/" + memberId + "/purchases", Map.of("orderId", "O-R1", "amountFen", 40_000,
                        "storeId", "RULES-STORE", "channel", "pos",
                        "occurredAt", boughtAt.atOffset(ZoneOffset.ofHours(8)).toString(),
                        "lines", List.of(Map.of("sku", "S1", "category", "rules-test-skincare", "amountFen", 30_000),
                                Map.of("sku", "S2", "category", "snacks", "amountFen", 10_000))))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.pointsEarned").isEqualTo(1000);
        api.post("/api/v1/members/" + memberId + "/purchases", Map.of("orderId", "O-R2", "amountFen", 40_000,
                        "storeId", "RULES-STORE", "channel", "pos",
                        "occurredAt", boughtAt.atOffset(ZoneOffset.ofHours(8)).toString(),
                        "lines", List.of(Map.of("sku", "S1", "category", "x", "amountFen", 30_000))))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("lines");

        Map<String, Object> history = api.get("/api/v1/members/" + memberId + "/points/history");
        Map<String, Object> earned = ((List<Map<String, Object>>) history.get("movements")).get(0);
        assertThat(earned).containsEntry("kind", "earned").containsEntry("points", 1000)
                .containsEntry("ruleSetVersion", 1).containsEntry("sourceId", "O-R1");
        assertThat((List<Map<String, String>>) earned.get("rules")).extracting(rule -> rule.get("rule"))
                .containsExactly("base", "category:rules-test-skincare", "store:RULES-STORE", "cap");
        List<Map<String, Object>> versions = web.get().uri("/api/v1/admin/earning-rules").exchange()
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody()
                .stream().map(version -> (Map<String, Object>) version).toList();
        assertThat(versions).extracting(version -> version.get("version")).containsExactly(0, 1);
    }
}
