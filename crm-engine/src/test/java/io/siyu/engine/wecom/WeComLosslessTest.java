package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * 1,000 callbacks — the distinct facts of 20 members' contacts and group memberships, each delivered one to five
 * times, all shuffled and sent eight at a time — end as exactly the distinct facts on the members' streams (besides
 * the facts the bridge adds when the shuffle makes it reconcile a group), and the contacts and groups that hold now
 * are those whose latest fact is a start.
 */
@EngineTest
class WeComLosslessTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    /** One distinct fact: its callback XML, and what it says. */
    record Fact(int member, String xml, String relation, boolean start, long at) {
    }

    @Test
    void duplicatedAndReorderedCallbacksRecordEachFactOnceAndEndInTheLatestState() throws Exception {
        Random random = new Random(20261126);
        String run = "L" + System.nanoTime();
        String store = "WL-" + run;
        int members = 20;
        List<String> memberIds = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            String unionid = "u-" + run + "-" + m;
            memberIds.add((String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid, "storeId", store)).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId"));
            SimulatedWeCom.WECOM.externalContact(external(run, m), unionid);
        }
        long base = clock.instant().getEpochSecond() - 10_000;
        List<Fact> facts = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            for (int s = 0; s < 3; s++) {
                int count = 1 + random.nextInt(6);
                for (int i = 0; i < count; i++) {
                    long at = base + (m * 100L + s * 10 + i) * 7;
                    String change = i % 2 == 0 ? "add_external_contact" : "del_external_contact";
                    facts.add(new Fact(m, contact(change, "staff-" + s, external(run, m), at), "staff-" + s,
                            i % 2 == 0, at));
                }
            }
            for (int c = 0; c < 2; c++) {
                String chat = "wr-" + run + "-" + m + "-" + c;
                int count = 1 + random.nextInt(6);
                // what groupchat/get answers when the bridge re-reads a group it saw change out of order
                SimulatedWeCom.WECOM.group(chat, "v" + count, count % 2 == 1 ? Map.of(external(run, m), "qr")
                        : Map.of());
                for (int i = 0; i < count; i++) {
                    long at = base + (m * 100L + 50 + c * 10 + i) * 7;
                    facts.add(new Fact(m, chat(chat, i % 2 == 0 ? "add_member" : "del_member", external(run, m),
                            "v" + i, "v" + (i + 1), at), chat, i % 2 == 0, at));
                }
            }
        }
        List<String> deliveries = new ArrayList<>();
        facts.forEach(fact -> deliveries.add(fact.xml()));
        while (deliveries.size() < 1_000) {
            deliveries.add(facts.get(random.nextInt(facts.size())).xml());
        }
        Collections.shuffle(deliveries, random);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (String xml : deliveries) {
                sent.add(senders.submit(() -> deliver(xml)));
            }
            for (Future<?> done : sent) {
                done.get();
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(syncMongoClient.getDatabase(endpoint.database()).getCollection(CallbackLog.COLLECTION)
                .countDocuments(Filters.regex("_id", ".*" + run + ".*"))).isEqualTo(facts.size());
        Map<Integer, Long> factsPerMember = new HashMap<>();
        facts.forEach(fact -> factsPerMember.merge(fact.member(), 1L, Long::sum));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (int m = 0; m < members; m++) {
                assertThat(weComEntries(memberIds.get(m))).as("member %d", m).isEqualTo(factsPerMember.get(m));
            }
        });

        // the state that holds: per member and relation, the latest fact decides
        Map<String, Fact> latest = new HashMap<>();
        facts.forEach(fact -> latest.merge(fact.member() + "/" + fact.relation(), fact,
                (a, b) -> a.at() >= b.at() ? a : b));
        long withContact = countMembers(latest, members, "staff-");
        long inGroup = countMembers(latest, members, "wr-");
        String inStore = "{\"store\":{\"in\":[\"" + store + "\"]}}";
        Api api = new Api(web);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            api.post("/api/v1/segments/preview", Map.of("criteria", json("{\"and\":[" + inStore
                    + ",{\"hasWeComContact\":{}}]}"))).expectStatus().isOk().expectBody().jsonPath("$.count")
                    .isEqualTo((int) withContact);
            api.post("/api/v1/segments/preview", Map.of("criteria", json("{\"and\":[" + inStore
                    + ",{\"inWeComGroup\":{}}]}"))).expectStatus().isOk().expectBody().jsonPath("$.count")
                    .isEqualTo((int) inGroup);
        });
    }

    private static long countMembers(Map<String, Fact> latest, int members, String prefix) {
        long count = 0;
        for (int m = 0; m < members; m++) {
            int member = m;
            if (latest.values().stream().anyMatch(fact -> fact.member() == member
                    && fact.relation().startsWith(prefix) && fact.start())) {
                count++;
            }
        }
        return count;
    }

    @SuppressWarnings("unchecked")
    private long weComEntries(String memberId) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) new Api(web)
                .get("/api/v1/members/" + memberId + "/timeline?limit=100").get("entries");
        // facts the bridge found itself when it read a group again are not callbacks (they say when they were found)
        return entries.stream().filter(entry -> ((String) entry.get("kind")).startsWith("wecom-"))
                .filter(entry -> ((Map<String, Object>) entry.get("data")).get("foundAt") == null).count();
    }

    private void deliver(String xml) {
        new WeComCallbacks(web, clock).deliver(xml);
    }

    private static String external(String run, int member) {
        return "wm-" + run + "-" + member;
    }

    private static String contact(String change, String staff, String external, long at) {
        return WeComCallbacks.contact(change, staff, external, null, String.valueOf(at));
    }

    private static String chat(String chatId, String detail, String external, String last, String current, long at) {
        return WeComCallbacks.chat(chatId, detail, external, last, current, String.valueOf(at));
    }

    private static Object json(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
