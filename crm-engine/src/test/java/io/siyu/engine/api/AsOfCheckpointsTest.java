package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * As-of answers start from the nearest checkpoint at or before the instant instead of folding the whole history:
 * for a member whose history spans several checkpoints, the balance as of each sampled instant (before the first
 * checkpoint, just around one, after the last) is the balance the purchase made then answered; the checkpoints are
 * written once a read passes them; with every checkpoint dropped the answers are the same (they are folded again).
 */
@EngineTest
class AsOfCheckpointsTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient mongo;
    @Autowired
    MongoEndpoint endpoint;

    record Sample(Instant at, long balance) {
    }

    @Test
    void anAsOfAnswerFromACheckpointIsTheAnswerOfTheWholeFold() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // 601 events: checkpoints after 256 and 512
            clock.advance(Duration.ofSeconds(1));
            long balance = ((Number) api.post("/api/v1/members/" + memberId + "/purchases", java.util.Map.of(
                    "orderId", "O-" + i, "amountFen", 1_000 + i, "storeId", "SH-001", "channel", "mini_program",
                    "occurredAt", clock.instant().minusSeconds(1).atOffset(ZoneOffset.ofHours(8)).toString()))
                    .expectStatus().isOk().expectBody(java.util.Map.class).returnResult().getResponseBody()
                    .get("balance")).longValue();
            samples.add(new Sample(clock.instant(), balance));
        }
        clock.advance(Duration.ofSeconds(1));
        List<Integer> picked = List.of(0, 50, 126, 127, 128, 200, 255, 256, 257, 299);
        // the newest first (it writes the checkpoints), then the older instants
        assertThat(balanceAsOf(memberId, samples.get(299).at())).isEqualTo(samples.get(299).balance());
        var checkpoints = mongo.getDatabase(endpoint.database()).getCollection("standing_checkpoints");
        assertThat(checkpoints.find(Filters.eq("_id", memberId + "#head")).first())
                .isNotNull().containsEntry("newest", 2L);
        for (int i : picked) {
            assertThat(balanceAsOf(memberId, samples.get(i).at())).as("as of sample %d", i)
                    .isEqualTo(samples.get(i).balance());
        }
        checkpoints.deleteMany(Filters.regex("_id", "^" + memberId + "#"));
        List<Integer> newestFirst = new ArrayList<>(picked);
        java.util.Collections.reverse(newestFirst);
        for (int i : newestFirst) {
            assertThat(balanceAsOf(memberId, samples.get(i).at())).as("folded again, as of sample %d", i)
                    .isEqualTo(samples.get(i).balance());
        }
        assertThat(checkpoints.countDocuments(Filters.regex("_id", "^" + memberId + "#"))).isEqualTo(3);
    }

    private long balanceAsOf(String memberId, Instant at) {
        return ((Number) new Api(web, clock).get("/api/v1/members/" + memberId + "/points?asOf="
                + at.atOffset(ZoneOffset.UTC)).get("balance")).longValue();
    }
}
