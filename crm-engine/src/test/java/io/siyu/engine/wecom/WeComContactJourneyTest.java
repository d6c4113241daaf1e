package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.callback.CallbackLog;

/**
 * WeCom facts end to end: the simulator seals callbacks as WeCom does, the bridge logs them, links the external user
 * to the member by the unionid the simulator's {@code externalcontact/get} reports (through WxJava, refreshing an
 * expired token), and the member's timeline — read by WeCom external user id, as the sidebar does — shows each fact
 * once.
 */
@EngineTest
class WeComContactJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    @Test
    @SuppressWarnings("unchecked")
    void aContactAddedJoinsAGroupAndLeavesAndTheSidebarSeesEachOnce() {
        String unionid = "u-" + System.nanoTime();
        String external = "wm-" + System.nanoTime();
        String memberId = (String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId");
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        SimulatedWeCom.WECOM.expireToken();
        int tokensBefore = SimulatedWeCom.WECOM.tokensIssued();

        // WeCom's times (whole seconds) fall after the registration
        clock.advance(Duration.ofSeconds(10));
        String added = contact("add_external_contact", external, secondsAgo(8));
        deliver(added);
        deliver(added);
        String sidebar = "/api/v1/wecom/contacts/" + external + "/timeline";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri(sidebar).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.memberId").isEqualTo(memberId));
        assertThat(SimulatedWeCom.WECOM.tokensIssued()).as("a new token after the expired one")
                .isGreaterThan(tokensBefore);

        // the removal is delivered before the group join that happened first (a group's callbacks and a person's
        // are translated in different lanes): the sidebar reads them in the order they happened
        String chat = "wr-" + System.nanoTime();
        SimulatedWeCom.WECOM.group(chat, "v2", Map.of(external, "qr-store-SH-001"));
        deliver(contact("del_follow_user", external, secondsAgo(2)));
        deliver(chat(chat, "add_member", external, "v1", "v2", secondsAgo(5)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> entries = (List<Map<String, Object>>) new Api(web).get(sidebar + "?limit=10")
                    .get("entries");
            assertThat(entries).extracting(entry -> entry.get("kind")).containsSubsequence(
                    "wecom-contact-removed", "wecom-group-joined", "wecom-contact-added", "registered");
            assertThat(entries).extracting(entry -> entry.get("kind")).containsOnlyOnce("wecom-contact-added");
            Map<String, Object> joinedGroup = entries.stream().filter(e -> "wecom-group-joined".equals(e.get("kind")))
                    .findFirst().orElseThrow();
            assertThat((Map<String, Object>) joinedGroup.get("data")).as("attributed from groupchat/get")
                    .containsEntry("state", "qr-store-SH-001");
        });
        new Api(web).post("/api/v1/segments/preview", Map.of("criteria",
                        Map.of("inWeComGroup", Map.of("chatId", chat)))).expectStatus().isOk()
                .expectBody().jsonPath("$.count").isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLostGroupChangeIsFoundByItsVersionAndReconciledFromWeCom() {
        String chat = "wr-lost-" + System.nanoTime();
        List<String> externals = new java.util.ArrayList<>();
        List<String> members = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String unionid = "u-g-" + i + "-" + System.nanoTime();
            externals.add("wm-g-" + i + "-" + System.nanoTime());
            members.add((String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid)).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                    .get("memberId"));
            SimulatedWeCom.WECOM.externalContact(externals.get(i), unionid);
        }
        // A joins (v0 → v1); B's join (v1 → v2) is lost; C joins (v2 → v3): the bridge holds v1, so it re-reads
        SimulatedWeCom.WECOM.group(chat, "v1", Map.of(externals.get(0), "qr-a"));
        deliver(chat(chat, "add_member", externals.get(0), "v0", "v1", now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(members.get(0)))
                .contains("wecom-group-joined"));
        Map<String, String> now = new java.util.LinkedHashMap<>();
        externals.forEach(external -> now.put(external, "qr-" + external));
        // WeCom says when B joined (an hour ago) in groupchat/get
        long bJoined = clock.instant().getEpochSecond() - 3_600;
        SimulatedWeCom.WECOM.joinTime(chat, externals.get(1), bJoined);
        SimulatedWeCom.WECOM.group(chat, "v3", now);
        deliver(chat(chat, "add_member", externals.get(2), "v2", "v3", now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(kinds(members.get(1))).as("B, from the reconciliation").contains("wecom-group-joined");
            assertThat(kinds(members.get(2))).as("C, from its own callback").containsOnlyOnce("wecom-group-joined");
            assertThat(kinds(members.get(0))).as("A, once").containsOnlyOnce("wecom-group-joined");
        });
        // B's join is dated by WeCom's join_time and marked as found, with when it was found
        Map<String, Object> found = ((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + members.get(1)
                + "/timeline").get("entries")).stream().filter(e -> "wecom-group-joined".equals(e.get("kind")))
                .findFirst().orElseThrow();
        assertThat(found.get("at")).isEqualTo(Instant.ofEpochSecond(bJoined).toString());
        assertThat((Map<String, Object>) found.get("data")).containsKey("foundAt");
        assertThat(Instant.parse((String) ((Map<String, Object>) found.get("data")).get("foundAt")))
                .isAfter(Instant.ofEpochSecond(bJoined));
        assertThat((String) found.get("line")).endsWith("（对账发现）");
        new Api(web).post("/api/v1/segments/preview", Map.of("criteria",
                        Map.of("inWeComGroup", Map.of("chatId", chat)))).expectStatus().isOk()
                .expectBody().jsonPath("$.count").isEqualTo(3);
    }

    @SuppressWarnings("unchecked")
    private List<Object> kinds(String memberId) {
        return ((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + memberId + "/timeline").get("entries"))
                .stream().map(entry -> entry.get("kind")).toList();
    }

    @Test
    void aContactWithoutAMemberIsKeptUnlinked() {
        String external = "wm-stranger-" + System.nanoTime();
        Instant addedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        deliver(contact("add_external_contact", external, String.valueOf(addedAt.getEpochSecond())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(syncMongoClient
                .getDatabase(endpoint.database()).getCollection(CallbackLog.COLLECTION)
                .find(Filters.regex("_id", ".*\\|" + external + "\\|.*")).first())
                .isNotNull().containsEntry("outcome", "unlinked"));
        web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isNotFound();

        // the customer registers in the Mini Program later; replaying the log links the contact and records it
        String unionid = "u-late-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid)).exchange()
                .expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            web.post().uri("/api/v1/admin/wecom/callbacks/replay").exchange().expectStatus().isAccepted();
            web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.entries[?(@.kind == 'wecom-contact-added')].at")
                    .isEqualTo(List.of(addedAt.toString()));
        });
    }

    private void deliver(String xml) {
        new WeComCallbacks(web, clock).deliver(xml);
    }

    private static String contact(String change, String external, String createTime) {
        return WeComCallbacks.contact(change, "staff-7", external, "store-SH-001", createTime);
    }

    private static String chat(String chatId, String detail, String external, String last, String current,
                               String createTime) {
        return WeComCallbacks.chat(chatId, detail, external, last, current, createTime);
    }

    private String now() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    private String secondsAgo(int seconds) {
        return String.valueOf(clock.instant().getEpochSecond() - seconds);
    }
}
