package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;

@EngineTest
class SnapshotAndRebuildTest {

    @Autowired
    WebTestClient web;
    @Autowired
    MongoDatabase syncMongoDatabase;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void aMemberWithManyEventsIsSnapshottedAndStillDecidesOnItsWholeHistory() {
        Api api = new Api(web);
        String memberId = api.register();
        for (int i = 1; i <= 30; i++) {
            api.purchase(memberId, "O-" + i, 1_000).expectStatus().isOk(); // 2 events each
        }
        // taken on the snapshot thread after the triggering command committed
        Document snapshot = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                syncMongoDatabase.getCollection(MongoEventStorageEngine.SNAPSHOTS)
                        .find(Filters.eq("_id", memberId)).first(), java.util.Objects::nonNull);
        assertThat(snapshot).as("snapshot after 61 events with a threshold of 50").isNotNull();
        assertThat(snapshot.getString("rev")).as("the Member's snapshot revision").isEqualTo("7");
        assertThat(snapshot.get("seq", Number.class).longValue()).isGreaterThanOrEqualTo(50);

        // Decisions after the snapshot still know the orders recorded before it.
        api.purchase(memberId, "O-1", 1_000).expectStatus().isOk().expectBody()
                .jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.pointsEarned").isEqualTo(10);
        api.post("/api/v1/members/" + memberId + "/refunds", Map.of("orderId", "O-2", "refundId", "F-2",
                "amountFen", 1_000)).expectStatus().isOk().expectBody().json("{\"pointsReversed\":10,\"balance\":290}");
        api.post("/api/v1/members/" + memberId + "/redemptions", Map.of("redemptionId", "R-1", "points", 291,
                "reason", "too much")).expectStatus().isEqualTo(409);
        api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(290);

        // A snapshot of an older shape (no revision, an empty state) is ignored: the state is folded from the events.
        syncMongoDatabase.getCollection(MongoEventStorageEngine.SNAPSHOTS).updateOne(Filters.eq("_id", memberId),
                com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set("rev", null),
                        com.mongodb.client.model.Updates.set("payload",
                                new org.bson.types.Binary("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        api.purchase(memberId, "O-3", 1_000).expectStatus().isOk().expectBody()
                .jsonPath("$.duplicate").isEqualTo(true);
        api.post("/api/v1/members/" + memberId + "/redemptions", Map.of("redemptionId", "R-2", "points", 290,
                "reason", "all of it")).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(0);
    }

    @Test
    void resettingAndReplayingMemberPointsRebuildsAnIdenticalReadModel() throws Exception {
        Api api = new Api(web);
        for (int m = 0; m < 5; m++) {
            String memberId = api.register();
            api.purchase(memberId, "O-1", 12_345).expectStatus().isOk();
            api.post("/api/v1/members/" + memberId + "/check-ins", Map.of()).expectStatus().isOk();
            api.post("/api/v1/members/" + memberId + "/redemptions", Map.of("redemptionId", "R-1", "points", 7,
                    "reason", "coupon")).expectStatus().isOk();
        }
        String live = hashOfMemberPoints();

        TrackingEventProcessor processor = processing
                .eventProcessor("member-points", TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens(source -> source.createTailToken());
        processor.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!replayedToTheHead(processor) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(replayedToTheHead(processor)).as("replay finished: %s", processor.processingStatus()).isTrue();
        assertThat(hashOfMemberPoints()).isEqualTo(live);
    }

    /** Axon leaves replay mode only with the first event after the reset point; reaching that point is enough. */
    private static boolean replayedToTheHead(TrackingEventProcessor processor) {
        EventTrackerStatus status = processor.processingStatus().get(0);
        return status != null && status.isCaughtUp() && status.getResetPosition().isPresent()
                && status.getCurrentPosition().orElse(-1) >= status.getResetPosition().getAsLong();
    }

    private String hashOfMemberPoints() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long count = 0;
        for (Document view : syncMongoDatabase.getCollection("member_points").find().sort(Sorts.ascending("_id"))) {
            sha256.update(view.toJson().getBytes(StandardCharsets.UTF_8));
            count++;
        }
        assertThat(count).isGreaterThan(0);
        return count + ":" + HexFormat.of().formatHex(sha256.digest());
    }
}
