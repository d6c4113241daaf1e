package io.siyu.engine.eventhandling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import de.bwaldvogel.mongo.exception.MongoServerError;
import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;

/**
 * Handler failures never skip an event. The engine runs on a store whose writes to chosen collections this test
 * refuses for as long as it likes (MongoDB's error replies, over the wire): an outage ("not primary") holds every
 * kind of handler (batched projections, handlers that write as they go, the redemption saga) until it clears, then
 * each applies every event exactly once; a failure specific to one member's event parks that member's sequence in
 * the processing group's dead-letter queue while other members go on, and an operator's retry applies it.
 */
@EngineTest
@TestPropertySource(properties = {"siyu.test.engine=event-handling-faults", "siyu.api.read-your-writes-timeout=100ms",
        "siyu.commands.timeout=2s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EventHandlingFaultTest {

    /** The refusal in force (null: none), and how many writes it refused per collection. */
    static final AtomicReference<Predicate<Document>> REFUSE = new AtomicReference<>();
    static final AtomicReference<MongoServerError> WITH = new AtomicReference<>();
    static final Map<String, AtomicInteger> REFUSED = new ConcurrentHashMap<>();
    static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify");

    /** Writes matching this are held (not refused) until the latch opens: a store that withholds its answer. */
    static final AtomicReference<Predicate<Document>> HOLD = new AtomicReference<>();
    static final AtomicReference<java.util.concurrent.CountDownLatch> RELEASE = new AtomicReference<>();
    static final java.util.concurrent.CountDownLatch HELD = new java.util.concurrent.CountDownLatch(1);

    static final EmbeddedMongo STORE = EmbeddedMongo.inMemory("127.0.0.1", 0, (database, command, body) -> {
        Predicate<Document> hold = HOLD.get();
        if (hold != null && WRITES.contains(command) && hold.test(new Document("command", command)
                .append("collection", body.get(command)).append("text", String.valueOf(body)))) {
            HELD.countDown();
            try {
                RELEASE.get().await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Predicate<Document> refuse = REFUSE.get();
        if (refuse != null && WRITES.contains(command) && body.get(command) instanceof String collection
                && refuse.test(new Document(body).append("$collection", collection))) {
            REFUSED.computeIfAbsent(collection, c -> new AtomicInteger()).incrementAndGet();
            throw WITH.get();
        }
    });

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry properties) {
        properties.add("siyu.mongodb.uri", STORE::connectionString);
        properties.add("siyu.access.signing-key", () -> "ZmF1bHQtdGVzdC1zaWduaW5nLWtleS0zMi1ieXRlcy1sb25nIQ==");
        properties.add("siyu.access.credential-key", () -> "ZmF1bHQtdGVzdC1jcmVkZW50aWFsLWtleS0zMi1ieXRlcyEhIQ==");
        properties.add("siyu.privacy.phone-hash-key", () -> "ZmF1bHQtdGVzdC1waG9uZS1rZXktMzItYnl0ZXMhISEhIQ==");
        properties.add("siyu.privacy.master-key", () -> "fault-1:" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]));
    }

    @Autowired
    WebTestClient web;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;
    @Autowired
    io.siyu.engine.support.TestClock clock;
    @Autowired
    org.axonframework.config.EventProcessingConfiguration processing;

    @AfterEach
    void storeAcceptsWritesAgain() {
        REFUSE.set(null);
        REFUSED.clear();
    }

    private MongoDatabase database() {
        return syncMongoClient.getDatabase(endpoint.database());
    }

    private static void refuse(Predicate<Document> which, MongoServerError error) {
        error.setLogError(false);
        WITH.set(error);
        REFUSED.clear();
        REFUSE.set(which);
    }

    private static int refused(String collection) {
        AtomicInteger count = REFUSED.get(collection);
        return count == null ? 0 : count.get();
    }

    @Test
    void anOutageHoldsEveryKindOfHandlerUntilItClearsAndEachAppliesEveryEventOnce() {
        Api api = new Api(web);
        String rewardId = "RW-OUTAGE-" + System.nanoTime();
        api.post("/api/v1/rewards", Map.of("rewardId", rewardId, "name", "outage coupon", "pointsCost", 10,
                "stock", 3, "perMemberLimit", 1, "validDays", 30)).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                database().getCollection("rewards").find(Filters.eq("_id", rewardId)).first() != null);

        // A replica set between primaries: every read model, the due-work files, the unionid directory and the saga
        // store refuse writes with "not primary"; the event store itself keeps taking commits.
        List<String> held = List.of("member_points", "member_facts", "timeline_heads", "timeline_pages",
                "rewards", "reward_claims", "segments", "due_buckets", "member_unionids", "sagas");
        refuse(write -> held.contains(write.getString("$collection")),
                new MongoServerError(10107, "NotWritablePrimary", "not primary"));

        // writes may wait for their read model (and the edge for the redemption's outcome) before answering
        Api patient = new Api(web.mutate().responseTimeout(Duration.ofSeconds(60)).build());
        String unionid = "u-outage-" + System.nanoTime();
        String memberId = patient.registerWith(unionid, null);
        patient.purchase(memberId, "O-OUTAGE-1", 12_800).expectStatus().isOk();
        String segmentId = "seg-outage-" + System.nanoTime();
        // saved, and answered as not yet in the catalogue (its store refuses writes): 202, never 500
        patient.post("/api/v1/segments", Map.of("segmentId", segmentId, "name", "outage buyers",
                "criteria", Map.of("pointsBalance", Map.of("min", 1)))).expectStatus().isAccepted();
        // the redemption cannot finish while the saga store refuses: answered as pending (after the edge's wait),
        // not refused
        patient.post("/api/v1/members/" + memberId + "/redemptions", Map.of("redemptionId", "R-OUTAGE-1",
                "rewardId", rewardId)).expectStatus().isAccepted();

        // each kind of handler has met the outage (a batch stops at its first refused write)
        List<String> firstWrites = List.of("member_points", "member_facts", "timeline_pages", "reward_claims",
                "segments", "due_buckets", "member_unionids", "sagas");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(firstWrites)
                .as("collections refused so far: %s", REFUSED).allMatch(c -> refused(c) > 0));
        assertThat(database().getCollection("member_points").find(Filters.eq("_id", memberId)).first())
                .as("nothing applied while the store refuses").isNull();

        REFUSE.set(null);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 118);
            assertThat(api.get("/api/v1/members/" + memberId + "/redemptions/R-OUTAGE-1"))
                    .containsEntry("status", "redeemed");
            assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 2);
            assertThat(database().getCollection("member_unionids").find(Filters.eq("memberId", memberId)).first())
                    .isNotNull();
            assertThat(database().getCollection("segments").find(Filters.eq("_id", segmentId)).first()).isNotNull();
            assertThat(database().getCollection("due_buckets").find(Filters.eq("items.memberId", memberId)).first())
                    .as("the purchase's expiry is filed").isNotNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) api
                    .get("/api/v1/members/" + memberId + "/timeline?limit=50").get("entries");
            assertThat(entries).extracting(entry -> (String) entry.get("kind")).containsOnlyOnce("purchase",
                    "registered");
        });
        assertThat(deadLetters()).as("an outage is retried, never dead-lettered").allSatisfy(group ->
                assertThat(group).containsEntry("letters", 0));
    }

    @Test
    void aPoisonEventParksOnlyItsOwnMembersSequenceUntilAnOperatorRetriesIt() {
        Api api = new Api(web);
        String poisoned = api.register();
        String healthy = api.register();
        // The due-work file refuses this member's writes with an error about the write itself (not an outage).
        refuse(write -> write.getString("$collection").equals("due_buckets") && write.toJson().contains(poisoned),
                new MongoServerError(2, "BadValue", "the item is refused"));

        api.purchase(poisoned, "O-POISON-1", 5_000).expectStatus().isOk();
        api.purchase(poisoned, "O-POISON-2", 6_000).expectStatus().isOk();
        api.purchase(healthy, "O-HEALTHY-1", 7_000).expectStatus().isOk();

        // the other member goes on; the poisoned member's two expiries wait in the queue, in order
        await().atMost(Duration.ofSeconds(30)).until(() -> database().getCollection("due_buckets")
                .find(Filters.eq("items.memberId", healthy)).first() != null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(group("due-work"))
                .containsEntry("letters", 2).containsEntry("sequences", 1));
        List<Map<String, Object>> first = letters("due-work");
        assertThat(first).extracting(letter -> letter.get("aggregateId")).containsOnly(poisoned);
        assertThat(first).extracting(letter -> letter.get("eventType")).containsOnly("PointsEarned");
        assertThat(first.get(0).get("cause")).asString().contains("MongoCommandException").contains("code 2");
        assertThat(first.get(1).get("cause")).asString().contains("waits behind");
        assertThat(database().getCollection("due_buckets").find(Filters.eq("items.memberId", poisoned)).first())
                .isNull();
        assertThat(web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody())
                .contains("siyu_events_dead_letters{group=\"due-work\"} 2.0");

        // Retried while the fault is still there: the letter stays, with its new cause.
        web.post().uri("/api/v1/admin/dead-letters/due-work/retry").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.sequencesCleared").isEqualTo(0).jsonPath("$.remaining").isEqualTo(2);

        REFUSE.set(null);
        web.post().uri("/api/v1/admin/dead-letters/due-work/retry").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.sequencesCleared").isEqualTo(1).jsonPath("$.remaining").isEqualTo(0);
        assertThat(database().getCollection("due_buckets").find(Filters.eq("items.memberId", poisoned)).first())
                .isNotNull();
        assertThat(group("due-work")).containsEntry("letters", 0);

        assertThat(deadLetters()).extracting(group -> group.get("group")).as("only groups whose letters can be retried")
                .contains("due-work", "member-points").doesNotContain("RewardRedemptionSagaProcessor",
                        "earning-rules-catalog");
        web.post().uri("/api/v1/admin/dead-letters/no-such-group/retry").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-processing-group");
    }

    @Test
    void aCommandStillRunningWhenTheEdgeStopsWaitingIsAnsweredPendingAndItsRetryReadsTheOutcome() throws Exception {
        Api api = new Api(web);
        String memberId = api.register();
        // the store withholds its answer to this purchase's commit, so the command outlives the edge's 2 s wait
        RELEASE.set(new java.util.concurrent.CountDownLatch(1));
        HOLD.set(write -> "insert".equals(write.get("command")) && "events".equals(write.get("collection"))
                && write.getString("text").contains(memberId + ":1")); // the member's next event (stream key)
        try {
            web.post().uri("/api/v1/members/" + memberId + "/purchases").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("orderId", "O-HELD-1", "amountFen", 9_900, "storeId", "SH-001",
                            "channel", "mini_program", "occurredAt", Api.ago(Duration.ZERO)))
                    .exchange().expectStatus().isAccepted()
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.status").isEqualTo("pending")
                    .jsonPath("$.retry").isEqualTo("POST /api/v1/members/" + memberId + "/purchases");
            assertThat(HELD.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the commit was held").isTrue();
        } finally {
            HOLD.set(null);
            RELEASE.get().countDown();
        }
        // the command completes on its own; the same request again answers its outcome, once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.post()
                .uri("/api/v1/members/" + memberId + "/purchases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("orderId", "O-HELD-1", "amountFen", 9_900, "storeId", "SH-001",
                        "channel", "mini_program", "occurredAt", Api.ago(Duration.ZERO)))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.pointsEarned").isEqualTo(99));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 99));
    }

    @Test
    void aReservedCouponWhosePaymentNeverCompletesGoesBackAtItsDeadlineAndTheMemberIsNeverCharged() {
        Api api = new Api(web);
        String rewardId = "RW-DEADLINE-" + System.nanoTime();
        api.post("/api/v1/rewards", Map.of("rewardId", rewardId, "name", "deadline coupon", "pointsCost", 10,
                "stock", 2, "perMemberLimit", 1, "validDays", 30)).expectStatus().isCreated();
        String memberId = api.register();
        api.purchase(memberId, "O-DEADLINE-1", 12_800).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 128));

        // the member's payment for the coupon cannot be stored ("not primary" for that commit only), so the payment
        // never completes and the unit stays reserved
        refuse(write -> write.getString("$collection").equals("events")
                        && String.valueOf(write).contains("io.siyu.api.reward.RewardRedeemed")
                        && String.valueOf(write).contains(memberId),
                new MongoServerError(10107, "NotWritablePrimary", "not primary"));
        new Api(web.mutate().responseTimeout(Duration.ofSeconds(60)).build()).post("/api/v1/members/" + memberId
                + "/redemptions", Map.of("redemptionId", "R-DEADLINE", "rewardId", rewardId))
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("events") > 0);
        assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 1);

        // the reservation's deadline (10 minutes) passes: the member's side abandons the redemption, the unit returns
        clock.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 2);
            assertThat(api.get("/api/v1/members/" + memberId + "/redemptions/R-DEADLINE"))
                    .containsEntry("status", "released");
        });

        // the store recovers and the saga's retry asks the member to pay again: refused (abandoned), so the member
        // keeps every point and the stock stays whole
        REFUSE.set(null);
        await().atMost(Duration.ofSeconds(90)).until(() -> database().getCollection("sagas")
                .countDocuments(Filters.regex("serializedSaga", "R-DEADLINE")) == 0
                && refusedPaymentsSeen());
        assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 128);
        assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 2);
    }

    /** The saga processor has handled everything up to the head (so a late payment attempt would have been made). */
    private boolean refusedPaymentsSeen() {
        return processing.eventProcessor("RewardRedemptionSagaProcessor",
                        org.axonframework.eventhandling.StreamingEventProcessor.class)
                .map(processor -> processor.processingStatus().values().stream()
                        .allMatch(status -> status.isCaughtUp() && !status.isErrorState()))
                .orElse(false);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> deadLetters() {
        return (List<Map<String, Object>>) new Api(web).get("/api/v1/admin/dead-letters").get("groups");
    }

    private Map<String, Object> group(String name) {
        return deadLetters().stream().filter(group -> name.equals(group.get("group"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> letters(String name) {
        return (List<Map<String, Object>>) group(name).get("first");
    }
}
