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
        first.tag("et-1", "staff-1", "wm-1", true, null);
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
        outbox.tag("et-gone", "staff-1", "wm-2", true, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry())
                .containsEntry("status", "unknown-tag").containsEntry("lastError", "WeCom errcode 40068")
                .containsEntry("attempts", 1));
        assertThat(wecom.calls("externalcontact/mark_tag")).isEqualTo(1);
        outbox.destroy();
    }

    /**
     * A token WeCom refuses mid-send (40014 invalid, twice in a row, so WxJava's one refresh does not cure it) is
     * retried with backoff, not settled failed: the tag reaches WeCom once.
     */
    @Test
    void aRefusedTokenMidSendIsRetriedUntilWeComTakesTheTag() {
        wecom.corpTag("et-3", "VIP", "Siyu");
        wecom.externalContact("wm-3", "u-3");
        wecom.follow("wm-3", "staff-1");
        wecom.fail("externalcontact/mark_tag", 3, 40014);
        Outbox outbox = outbox();
        outbox.tag("et-3", "staff-1", "wm-3", true, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(entry()).containsEntry("status", "sent"));
        assertThat(entry().getInteger("attempts")).isGreaterThan(1);
        assertThat(wecom.tagsOf("wm-3", "staff-1")).containsExactly("et-3");
        assertThat(wecom.tagChanges("et-3", "staff-1", "wm-3")).isEqualTo(1);
        outbox.destroy();
    }

    /**
     * A secret WeCom no longer accepts (40001) needs an operator: the bridge halts (gauge = 40001), counts no attempt
     * and sends nothing; once WeCom answers again (the secret is put right) the probe lifts the halt and the tag goes.
     */
    @Test
    void aWrongSecretHaltsTheWorkWithoutCountingAttemptsUntilWeComAnswersAgain() {
        wecom.corpTag("et-4", "VIP", "Siyu");
        wecom.externalContact("wm-4", "u-4");
        wecom.follow("wm-4", "staff-1");
        wecom.secret("rotated-by-an-admin");
        WeComApi api = new WeComApi(properties);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WeComHalt halt = new WeComHalt(api, meters);
        halt.probeEvery(Duration.ofMillis(200));
        Outbox outbox = new Outbox(database, api, null, Clock.systemUTC(), properties, WorkProperties.defaults(), halt,
                NO_CARD, null, (member, purpose) -> true);
        outbox.tag("et-4", "staff-1", "wm-4", true, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(halt.halted()).isTrue();
            assertThat(meters.get("siyu.wecom.halted").gauge().value()).isEqualTo(40001.0);
            assertThat(entry()).containsEntry("status", "pending").containsEntry("attempts", 0)
                    .containsEntry("lastError", "WeCom work is halted for an operator");
        });
        assertThat(wecom.calls("externalcontact/mark_tag")).isZero();

        wecom.secret(SECRET);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry())
                .containsEntry("status", "sent").containsEntry("attempts", 1));
        assertThat(halt.halted()).isFalse();
        assertThat(wecom.tagChanges("et-4", "staff-1", "wm-4")).isEqualTo(1);
        outbox.destroy();
        halt.destroy();
    }

    /**
     * An answer that keeps failing is given up after the policy's attempts: dead, with its last error, listed as the
     * dead letters of wecom-outbox; an operator's retry puts it back to work and it is sent.
     */
    @Test
    void anEntryThatKeepsFailingIsGivenUpAndAnOperatorsRetrySendsIt() {
        wecom.corpTag("et-5", "VIP", "Siyu");
        wecom.externalContact("wm-5", "u-5");
        wecom.follow("wm-5", "staff-1");
        wecom.fail("externalcontact/mark_tag", 3, 50001);
        WeComApi api = new WeComApi(properties);
        Outbox outbox = new Outbox(database, api, null, Clock.systemUTC(), properties,
                new WorkProperties(3, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30),
                        Duration.ofSeconds(1)), new WeComHalt(api, new SimpleMeterRegistry()), NO_CARD, null, (member, purpose) -> true);
        outbox.tag("et-5", "staff-1", "wm-5", true, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(entry())
                .containsEntry("status", "dead").containsEntry("attempts", 3)
                .containsEntry("lastError", "WeCom errcode 50001"));
        assertThat(outbox.dead()).isEqualTo(1);
        assertThat(outbox.first(10)).singleElement().satisfies(dead -> {
            assertThat(dead.kind()).isEqualTo("tag");
            assertThat(dead.id()).doesNotContain("wm-5"); // no external user id on the operator's page
            assertThat(dead.lastError()).isEqualTo("WeCom errcode 50001");
        });
        assertThat(wecom.tagsOf("wm-5", "staff-1")).isEmpty();

        assertThat(outbox.retryDead()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entry()).containsEntry("status", "sent"));
        assertThat(outbox.dead()).isZero();
        assertThat(wecom.tagChanges("et-5", "staff-1", "wm-5")).isEqualTo(1);
        outbox.destroy();
    }

    private static final NonMemberWelcome NO_CARD = new NonMemberWelcome("", "", "", "", "");

    private Outbox outbox() {
        WeComApi api = new WeComApi(properties);
        return new Outbox(database, api, null, Clock.systemUTC(), properties, WorkProperties.defaults(),
                new WeComHalt(api, new SimpleMeterRegistry()), NO_CARD, null, (member, purpose) -> true);
    }

    private Document entry() {
        return Mono.from(database.getCollection(Outbox.COLLECTION).find(Filters.exists("tagId")).first()).block();
    }
}
