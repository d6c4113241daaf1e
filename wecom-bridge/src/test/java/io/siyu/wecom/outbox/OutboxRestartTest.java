package io.siyu.wecom.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.api.WeComHalt;
import io.siyu.wecom.work.WorkProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siyu.wecom.config.WeComProperties;
import io.siyu.wecom.simulator.WeComSimulator;
import reactor.core.publisher.Mono;

/**
 * Outbound work survives the node: a tag change WeCom could not take before the node stopped is sent, once, by the
 * next node from the outbox it left — over the wire to a MongoDB-protocol server and the WeCom simulator.
 */
class OutboxRestartTest {

    private static final String CORP = "ww-outbox-test";
    private static final String SECRET = "outbox-secret";

    private MongoServer mongo;
    private MongoClient client;
    private MongoDatabase database;
    private WeComSimulator wecom;
    private WeComProperties properties;

    @BeforeEach
    void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        database = client.getDatabase("outbox");
        wecom = new WeComSimulator(CORP, SECRET);
        properties = new WeComProperties(CORP, "token", null, SECRET, 1000002, wecom.baseUrl(), Duration.ofMinutes(5),
                "", 100, 1);
    }

    @AfterEach
    void stop() {
        wecom.close();
        client.close();
        mongo.shutdownNow();
    }

    @Test
    void aTagChangeLeftPendingByAStoppedNodeIsSentOnceByTheNext() {
        wecom.corpTag("et-1", "VIP", "Siyu");
        wecom.externalContact("wm-1", "u-1");
        wecom.follow("wm-1", "staff-1");
        wecom.down(true);

        Outbox first = outbox();
        first.tag("et-1", "staff-1", "wm-1", true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry())
                .containsEntry("status", "pending").containsKey("lastError").containsKey("nextAttemptAt"));
        first.destroy();

        wecom.down(false);
        assertThat(wecom.tagsOf("wm-1", "staff-1")).as("the stopped node sends nothing").isEmpty();
        Outbox next = outbox();
        next.resume();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry()).containsEntry("status", "sent"));
        assertThat(wecom.tagsOf("wm-1", "staff-1")).containsExactly("et-1");
        assertThat(wecom.tagChanges("et-1", "staff-1", "wm-1")).isEqualTo(1);
        next.destroy();
    }

    @Test
    void aTagWeComDoesNotKnowIsAFinalAnswerNotRetried() {
        wecom.externalContact("wm-2", "u-2");
        wecom.follow("wm-2", "staff-1");
        Outbox outbox = outbox();
        outbox.tag("et-gone", "staff-1", "wm-2", true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry())
                .containsEntry("status", "unknown-tag").containsEntry("lastError", "WeCom errcode 40068")
                .containsEntry("attempts", 1));
        assertThat(wecom.calls("externalcontact/mark_tag")).isEqualTo(1);
        outbox.destroy();
    }

    private Outbox outbox() {
        WeComApi api = new WeComApi(properties);
        return new Outbox(database, api, null, Clock.systemUTC(), properties, WorkProperties.defaults(),
                new WeComHalt(api, new SimpleMeterRegistry()));
    }

    private Document entry() {
        return Mono.from(database.getCollection(Outbox.COLLECTION).find(Filters.exists("tagId")).first()).block();
    }
}
