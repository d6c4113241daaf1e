package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/** Tiers over HTTP: upgrade on purchase, the explanation, a manual floor, and reviews run on time by due work. */
@EngineTest
class TierJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> body, String key) {
        return (Map<String, Object>) body.get(key);
    }

    @Test
    void upgradeExplainOverrideAndReviewsWhenTheirTimeComes() {
        Api api = new Api(web);
        String memberId = api.register();
        String tier = "/api/v1/members/" + memberId + "/tier";
        assertThat(map(api.get(tier), "tier")).containsEntry("code", "member");
        Instant beforeUpgrade = clock.instant();
        api.purchaseAt(memberId, "O-1", 120_000, clock.instant().minusSeconds(5)).expectStatus().isOk();

        Map<String, Object> silver = api.get(tier);
        assertThat(map(silver, "tier")).containsEntry("code", "silver").containsEntry("name", "银卡");
        assertThat(silver).containsEntry("qualifyingSpendFen", 120_000);
        assertThat(map(silver, "next")).containsEntry("needed", 380_000)
                .hasEntrySatisfying("message", message -> assertThat((String) message)
                        .startsWith("Spend 3,800.00 yuan more by ").endsWith(" to reach Gold"))
                .hasEntrySatisfying("messageZh", message -> assertThat((String) message).contains("再消费3,800.00元即可升级为金卡"));
        assertThat(map(silver, "retention")).containsEntry("onTrack", true).containsEntry("threshold", 100_000);
        assertThat(map(api.get(tier + "?asOf=" + beforeUpgrade), "tier"))
                .containsEntry("code", "member");

        Instant floorUntil = clock.instant().plus(Duration.ofDays(30));
        api.post(tier + "/overrides", Map.of("overrideId", "OV-1", "tier", "gold", "until",
                        floorUntil.atOffset(ZoneOffset.ofHours(8)).toString(), "reason", "launch event guest",
                        "actor", "staff-7"))
                .expectStatus().isOk().expectBody().jsonPath("$.tier").isEqualTo("gold");
        api.post(tier + "/overrides", Map.of("overrideId", "OV-2", "tier", "platinum", "until",
                        floorUntil.atOffset(ZoneOffset.ofHours(8)).toString(), "reason", "x", "actor", "staff-7"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("tier");
        Map<String, Object> gold = api.get(tier);
        assertThat(map(gold, "tier")).containsEntry("code", "gold");
        assertThat(map(map(gold, "floor"), "tier")).containsEntry("code", "gold");

        // the floor ends: reviewed that day, one step down at most, to what the spend still holds (silver)
        clock.advance(Duration.ofDays(31));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(map(api.get(tier), "tier")).containsEntry("code", "silver"));
        assertThat(api.get(tier)).doesNotContainKey("floor");

        // a year on, the purchase has left the window: the anniversary review drops one tier
        clock.advance(Duration.ofDays(366));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(map(api.get(tier), "tier")).containsEntry("code", "member"));
        assertThat(api.get(tier)).doesNotContainKey("retention");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theNextTiersDeadlineIsSetByTheOldestOrderThatStillCountsNeverByARefundedOne() {
        Api api = new Api(web);
        String memberId = api.register();
        Instant refundedSale = clock.instant().minus(Duration.ofDays(80)); // inside the 90-day refund window
        Instant countingSale = clock.instant().minus(Duration.ofDays(40));
        api.purchaseAt(memberId, "O-REFUNDED", 10_000, refundedSale).expectStatus().isOk();
        api.purchaseAt(memberId, "O-COUNTS", 20_000, countingSale).expectStatus().isOk();
        api.post("/api/v1/members/" + memberId + "/refunds", Map.of("orderId", "O-REFUNDED", "refundId", "F-1",
                "amountFen", 10_000)).expectStatus().isOk();

        Map<String, Object> next = (Map<String, Object>) api.get("/api/v1/members/" + memberId + "/tier").get("next");
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        assertThat(next).containsEntry("needed", 80_000).containsEntry("neededBy",
                countingSale.atZone(shanghai).plusMonths(12).toLocalDate().minusDays(1).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSaleStampedAheadCountsAtOnceAndAMemberHeldBelowWhatTheyQualifyForIsToldSo() {
        Api api = new Api(web);
        String memberId = api.register();
        // two minutes ahead of the engine's clock (within the accepted skew): silver at once, and /tier counts it
        api.purchaseAt(memberId, "O-AHEAD", 120_000, clock.instant().plusSeconds(120)).expectStatus().isOk();
        Map<String, Object> tier = api.get("/api/v1/members/" + memberId + "/tier");
        assertThat((Map<String, Object>) tier.get("tier")).containsEntry("code", "silver");
        assertThat(tier).containsEntry("qualifyingSpendFen", 120_000);
        assertThat((Map<String, Object>) tier.get("next")).containsEntry("needed", 380_000);

        // gold by spend, then a manual floor below it: nothing more is needed, and the answer says so
        api.purchaseAt(memberId, "O-GOLD", 400_000, clock.instant().minusSeconds(60)).expectStatus().isOk();
        api.post("/api/v1/members/" + memberId + "/tier/overrides", Map.of("overrideId", "OV-HOLD", "tier", "silver",
                "until", clock.instant().plus(Duration.ofDays(30)).atOffset(ZoneOffset.ofHours(8)).toString(),
                "reason", "held for a test")).expectStatus().isOk();
        Map<String, Object> next = (Map<String, Object>) api.get("/api/v1/members/" + memberId + "/tier").get("next");
        assertThat(next).containsEntry("needed", 0);
        assertThat(next.get("neededBy")).isNull();
        assertThat((String) next.get("message")).startsWith("Already qualifies for");
    }
}
