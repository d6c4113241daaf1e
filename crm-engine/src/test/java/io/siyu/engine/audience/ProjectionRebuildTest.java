package io.siyu.engine.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Sorts;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * Every projection rebuilt from the events over HTTP ends identical to the live one it replaces (a hash of every
 * document), and the live processor carries on from the rebuilt position.
 */
@EngineTest
class ProjectionRebuildTest {

    private static final Map<String, List<String>> PROJECTIONS = Map.of(
            "member-points", List.of("member_points"),
            "member-facts", List.of("member_facts", "wecom_contacts"),
            "member-timeline", List.of("timeline_heads", "timeline_pages"),
            "rewards", List.of("rewards", "reward_claims"),
            "segment-catalog", List.of("segments"),
            "points-by-week", List.of("points_by_week"));

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    @Test
    @SuppressWarnings("unchecked")
    void aRebuiltProjectionEqualsTheLiveOneAndTheLiveProcessorCarriesOn() {
        Api api = new Api(web);
        List<String> members = new ArrayList<>();
        // a store of its own: the saved segment below must not reach members of other tests sharing the engine
        String store = "RB-" + System.nanoTime();
        for (int i = 0; i < 40; i++) {
            String member = (String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("openid", Api.newOpenid(), "storeId", store)).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId");
            members.add(member);
            api.purchaseAt(member, "O-1", 12_000 + i, clock.instant().minusSeconds(60)).expectStatus().isOk();
            commands.sendAndWait(new RecordWeComContactAdded(member, "rebuild-add-" + member, "staff-1",
                    "wm-rb-" + member, null, clock.instant()));
        }
        api.post("/api/v1/rewards", Map.of("rewardId", "rb-" + System.nanoTime(), "name", "Tea", "pointsCost", 10,
                "stock", 5, "perMemberLimit", 1, "validDays", 30)).expectStatus().isCreated();
        api.post("/api/v1/segments", Map.of("segmentId", "rb-" + System.nanoTime(), "name", "Contacts",
                "criteria", Map.of("and", List.of(Map.of("store", Map.of("in", List.of(store))),
                        Map.of("hasWeComContact", Map.of()))))).expectStatus().isCreated();
        String lastMember = members.get(members.size() - 1);
        // registration, purchase, points, contact, and entering the saved segment
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get("/api/v1/members/" + lastMember + "/timeline")).containsEntry("total", 5));
        long contacts = ((Number) api.post("/api/v1/segments/preview", Map.of("criteria",
                        Map.of("hasWeComContact", Map.of()))).expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody().get("count")).longValue();

        for (Map.Entry<String, List<String>> projection : PROJECTIONS.entrySet()) {
            String name = projection.getKey();
            String before = settledHash(projection.getValue());
            web.post().uri("/api/v1/admin/projections/" + name + "/rebuild").exchange()
                    .expectStatus().isAccepted().expectBody().jsonPath("$.projection").isEqualTo(name);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    api.get("/api/v1/admin/projections/" + name + "/rebuild")).containsEntry("state", "done"));
            Map<String, Object> done = api.get("/api/v1/admin/projections/" + name + "/rebuild");
            assertThat(((Number) done.get("eventsDone")).longValue()).as(name).isPositive();
            assertThat(hash(projection.getValue())).as(name + " rebuilt == live").isEqualTo(before);
        }

        // the index was read again from the rebuilt facts, and the live processors carry on from where the rebuild ended
        api.post("/api/v1/segments/preview", Map.of("criteria", Map.of("hasWeComContact", Map.of())))
                .expectStatus().isOk().expectBody().jsonPath("$.count").isEqualTo((int) contacts);
        Map<String, Object> bought = api.purchaseAt(lastMember, "O-2", 5_000, clock.instant().minusSeconds(30))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get("/api/v1/members/" + lastMember + "/timeline")).containsEntry("total", 7));
        assertThat(api.get("/api/v1/members/" + lastMember + "/points")).containsEntry("balance", bought.get("balance"));
        web.post().uri("/api/v1/admin/projections/nothing/rebuild").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-projection");
    }

    /** The hash once two reads a moment apart agree (processors have caught up). */
    private String settledHash(List<String> collections) {
        String[] last = {hash(collections)};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String now = hash(collections);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        return last[0];
    }

    private String hash(List<String> collections) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String collection : collections) {
                for (Document document : syncMongoClient.getDatabase(endpoint.database()).getCollection(collection)
                        .find().sort(Sorts.ascending("_id"))) {
                    // the ids of the last batch applied are bookkeeping against a retried batch, not content
                    document.remove("batch");
                    digest.update(document.toJson().getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
