package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * "Contact me" codes named by a campaign's or store's {@code state}: made once per state through
 * {@code add_contact_way}, and contacts added through them are attributed to it, down to the funnel's cut.
 */
@EngineTest
class ContactWayTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    @SuppressWarnings("unchecked")
    void aCodeIsMadeOncePerStateAndItsContactsAreAttributedInTheFunnel() {
        String state = "cw-" + Long.toString(System.nanoTime(), 36);
        Map<String, Object> request = Map.of("state", state, "staffUserIds", List.of("staff-q"),
                "remark", "双十一海报");
        Map<String, Object> made = web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        String configId = (String) made.get("configId");
        assertThat(WECOM.contactWays().get(configId)).isEqualTo(new WeComSimulator.ContactWay(configId, state,
                List.of("staff-q"), 1, 2));
        assertThat((String) made.get("qrCode")).startsWith("https://");
        web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.configId").isEqualTo(configId);
        web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", state, "staffUserIds", List.of("staff-q", "staff-r"))).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:siyu:problem:contact-way-state-taken");
        web.get().uri("/api/v1/wecom/contact-ways/" + state).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.configId").isEqualTo(configId);
        assertThat(WECOM.contactWays().values()).filteredOn(way -> state.equals(way.state())).hasSize(1);

        // a store's members: one added through the code, one through another channel
        String store = "cw-store-" + System.nanoTime();
        String through = member(store, state);
        member(store, "other-poster");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(contactStage(store, state)).isEqualTo(1);
            assertThat(contactStage(store, "other-poster")).isEqualTo(1);
            assertThat(contactStage(store, null)).isEqualTo(2);
        });
        new Api(web).post("/api/v1/segments/preview", Map.of("criteria", Map.of("and", List.of(
                        Map.of("store", Map.of("in", List.of(store))),
                        Map.of("contactState", Map.of("in", List.of(state)))))))
                .expectStatus().isOk().expectBody().jsonPath("$.count").isEqualTo(1);
        // WeCom dates the add in whole seconds: it reads among the sales recorded in the same second, not after them
        assertThat(((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + through + "/timeline")
                .get("entries"))).filteredOn(entry -> "wecom-contact-added".equals(entry.get("kind")))
                .singleElement().satisfies(entry -> assertThat((Map<String, Object>) entry.get("data"))
                        .containsEntry("state", state));
        Map<String, Object> funnel = new Api(web).get("/api/v1/funnels/private-domain?store=" + store
                + "&contactState=never-used");
        assertThat(((Map<String, Object>) funnel.get("total")).get("stages")).asList()
                .allSatisfy(stage -> assertThat(((Map<String, Object>) stage).get("members")).isEqualTo(0));
    }

    @Test
    void requestsRacingForOneStateMakeOneCode() {
        String state = "race-" + Long.toString(System.nanoTime(), 36);
        List<Integer> statuses = IntStream.range(0, 6).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("state", state, "staffUserIds", List.of("staff-q", "staff-s")))
                                .exchange().returnResult(String.class).getStatus().value()))
                .toList().stream().map(CompletableFuture::join).toList();
        // one request makes the code; the others get it (200) or are told it is being made (409)
        assertThat(statuses).isSubsetOf(201, 200, 409).containsOnlyOnce(201);
        assertThat(WECOM.contactWays().values()).filteredOn(way -> state.equals(way.state())).singleElement()
                .satisfies(way -> assertThat(way.type()).isEqualTo(2));
    }

    @Test
    void badContactWayRequestsAreRefusedNamingTheField() {
        web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "x".repeat(31), "staffUserIds", List.of())).exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[?(@.field == 'state')]").exists()
                .jsonPath("$.errors[?(@.field == 'staffUserIds')]").exists();
        web.post().uri("/api/v1/wecom/contact-ways").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "has space", "staffUserIds", List.of("staff-q"))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("state");
        web.get().uri("/api/v1/wecom/contact-ways/never-made").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-contact-way");
    }

    @SuppressWarnings("unchecked")
    private long contactStage(String store, String state) {
        Map<String, Object> funnel = new Api(web).get("/api/v1/funnels/private-domain?store=" + store
                + (state == null ? "" : "&contactState=" + state));
        List<Map<String, Object>> stages = (List<Map<String, Object>>) ((Map<String, Object>) funnel.get("total"))
                .get("stages");
        return stages.stream().filter(stage -> "wecom_contact".equals(stage.get("stage"))).findFirst()
                .map(stage -> ((Number) stage.get("members")).longValue()).orElseThrow();
    }

    private String member(String store, String state) {
        Api api = new Api(web);
        String unionid = "u-cw-" + System.nanoTime();
        String external = "wm-cw-" + System.nanoTime();
        String member = api.registerWith(unionid, store);
        // the funnel is sequential: a contact counts after the first and the repeat purchase
        api.purchaseAt(member, "O-cw-" + System.nanoTime(), 9_900, clock.instant().minusSeconds(180))
                .expectStatus().isOk();
        api.purchaseAt(member, "O-cw-" + System.nanoTime(), 5_900, clock.instant().minusSeconds(120))
                .expectStatus().isOk();
        WECOM.externalContact(external, unionid);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", "staff-q", external, state,
                callbacks.now()));
        return member;
    }
}
