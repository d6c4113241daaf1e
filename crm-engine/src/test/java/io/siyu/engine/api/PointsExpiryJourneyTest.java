package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * Lots, expiry, debt and adjustments over HTTP. One test moves the engine's clock past the end of the month twelve
 * months on, so it is a single scenario: later tests make their own members and are unaffected.
 */
@EngineTest
class PointsExpiryJourneyTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    @SuppressWarnings("unchecked")
    void refundDebtAdjustmentsAndExpiryOnTimeWithTheBalanceRightBeforeTheExpiryIsRecorded() {
        Api api = new Api(web);
        String memberId = api.register();
        String points = "/api/v1/members/" + memberId + "/points";
        Instant afterRegistration = clock.instant();
        Instant earnedAt = clock.instant();
        api.purchaseAt(memberId, "O-1", 10_000, earnedAt.minusSeconds(60)).expectStatus().isOk();
        api.purchaseAt(memberId, "O-2", 5_000, earnedAt.minusSeconds(30)).expectStatus().isOk();
        api.post(points.replace("/points", "/redemptions"), Map.of("redemptionId", "R-1", "points", 140,
                "reason", "gift")).expectStatus().isOk();
        // O-1's lot has nothing left and O-2's 10: the full refund of O-1 takes those 10 and owes 90
        api.post("/api/v1/members/" + memberId + "/refunds", Map.of("orderId", "O-1", "refundId", "F-1",
                        "amountFen", 10_000))
                .expectStatus().isOk()
                .expectBody().json("{\"pointsReversed\":10,\"debtIncurred\":90,\"balance\":0}");
        assertThat(api.get(points)).containsEntry("balance", 0).containsEntry("debt", 90);
        api.post("/api/v1/members/" + memberId + "/adjustments", Map.of("adjustmentId", "A-1", "points", 120,
                        "reason", "goodwill for a late parcel", "actor", "staff-7"))
                .expectStatus().isOk().expectBody().json("{\"balance\":30,\"debt\":0,\"duplicate\":false}");
        api.post("/api/v1/members/" + memberId + "/adjustments", Map.of("adjustmentId", "A-2", "points", -31,
                        "reason", "correction", "actor", "staff-7"))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:insufficient-points");
        api.post("/api/v1/members/" + memberId + "/adjustments", Map.of("adjustmentId", "A-3", "points", 5,
                        "actor", "staff-7"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("reason");
        api.purchaseAt(memberId, "O-3", 7_000, clock.instant().minusSeconds(5)).expectStatus().isOk();

        Map<String, Object> now = api.get(points);
        assertThat(now).containsEntry("balance", 100).doesNotContainKey("expiringSoon");
        Instant expiresAt = YearMonth.from(earnedAt.atZone(SHANGHAI)).plusMonths(13).atDay(1)
                .atStartOfDay(SHANGHAI).toInstant();
        Instant beforeExpiry = clock.instant();

        clock.advance(Duration.between(clock.instant(), expiresAt.minus(Duration.ofDays(20))));
        Map<String, Object> soon = (Map<String, Object>) api.get(points).get("expiringSoon");
        assertThat(soon).containsEntry("points", 100)
                .containsEntry("lastUsableDay", LocalDate.ofInstant(expiresAt, SHANGHAI).minusDays(1).toString());

        clock.advance(Duration.between(clock.instant(), expiresAt.plusSeconds(1)));
        assertThat(api.get(points)).as("expired points do not count even before their expiry is recorded")
                .containsEntry("balance", 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> history = api.get(points + "/history");
            Map<String, Object> latest = ((List<Map<String, Object>>) history.get("movements")).get(0);
            assertThat(latest).containsEntry("kind", "expired").containsEntry("points", -100)
                    .containsEntry("balanceAfter", 0);
        });
        assertThat(api.get(points + "?asOf=" + beforeExpiry.toString()))
                .containsEntry("balance", 100).containsEntry("debt", 0);
        assertThat(api.get(points + "?asOf=" + expiresAt.toString()))
                .containsEntry("balance", 0);
        assertThat(api.get(points + "?asOf=" + afterRegistration.toString()))
                .containsEntry("balance", 0).containsEntry("lifetimeEarned", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSaleRecordedLateExpiresByWhenItHappenedAndOneRecordedAfterItsExpiryEarnsAndExpiresInOneCommit() {
        Api api = new Api(web);
        String memberId = api.register();
        String points = "/api/v1/members/" + memberId + "/points";
        // a sale uploaded 40 days after it happened: its points expire twelve months after the month of the sale
        Instant soldAt = clock.instant().minus(Duration.ofDays(40));
        api.purchaseAt(memberId, "O-LATE", 10_000, soldAt).expectStatus().isOk()
                .expectBody().json("{\"pointsEarned\":100,\"balance\":100}");
        Instant expected = YearMonth.from(soldAt.atZone(SHANGHAI)).plusMonths(13).atDay(1).atStartOfDay(SHANGHAI)
                .toInstant();
        List<Map<String, Object>> lots = (List<Map<String, Object>>) api.get(points).get("lots");
        assertThat(lots).singleElement().satisfies(lot ->
                assertThat(Instant.parse((String) lot.get("expiresAt"))).isEqualTo(expected));

        // a sale from fourteen months ago, uploaded now: its points were already out of date, so they are earned and
        // expire in the same commit, and the history shows both
        Instant longAgo = clock.instant().minus(Duration.ofDays(430));
        api.purchaseAt(memberId, "O-ANCIENT", 5_000, longAgo).expectStatus().isOk()
                .expectBody().json("{\"pointsEarned\":50,\"balance\":100}");
        assertThat(api.get(points)).containsEntry("balance", 100);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> movements = (List<Map<String, Object>>) api.get(points + "/history")
                    .get("movements");
            assertThat(movements).extracting(movement -> movement.get("kind") + " " + movement.get("points"))
                    .startsWith("expired -50", "earned 50");
        });
    }
}
