package io.siyu.engine.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * The member's own copy: after a registration with phone and nickname, a purchase, a consent and a WeCom contact, the
 * export holds the profile (the phone only masked), the consents, the points, and every fact of the stream in order;
 * a member the engine does not hold is 404.
 */
@EngineTest
@SuppressWarnings("unchecked")
class ExportJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;

    @Test
    void theExportHoldsTheProfileConsentsPointsAndEveryFact() {
        Api api = new Api(web, clock);
        String openid = Api.newOpenid();
        String unionid = "u-export-" + System.nanoTime();
        String memberId = (String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", openid, "unionid", unionid, "phone", "13812345678", "nickname", "小明"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("memberId");
        api.purchase(memberId, "O-export-1", 12_800).expectStatus().isOk();
        api.post("/api/v1/members/" + memberId + "/consents", Map.of("changeId", "C-e1", "purpose", "marketing",
                "granted", true, "source", "mini_program_settings")).expectStatus().isOk();
        commands.sendAndWait(new RecordWeComContactAdded(memberId, "export-add", "staff-e", "wm-export-" + memberId,
                null, clock.instant()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> export = api.get("/api/v1/members/" + memberId + "/export");
            assertThat((Map<String, Object>) export.get("profile")).containsEntry("openid", openid)
                    .containsEntry("unionid", unionid).containsEntry("nickname", "小明")
                    .containsEntry("phoneMasked", "*******5678").containsKey("registeredAt");
            assertThat((Map<String, Object>) ((Map<String, Object>) export.get("consents")).get("now"))
                    .containsEntry("marketing", true);
            assertThat((Map<String, Object>) export.get("points")).containsEntry("balance", 128);
            List<Map<String, Object>> facts = (List<Map<String, Object>>) export.get("facts");
            assertThat(facts).extracting(fact -> fact.get("kind")).startsWith("MemberRegistered")
                    .contains("PurchaseRecorded", "ConsentChanged", "WeComContactAdded");
            assertThat(facts).extracting(fact -> ((Number) fact.get("sequence")).longValue())
                    .isSortedAccordingTo(Long::compare);
            assertThat(export.toString()).doesNotContain("13812345678");
        });
        web.get().uri("/api/v1/members/m-nobody-" + System.nanoTime() + "/export").exchange()
                .expectStatus().isNotFound();
    }
}
