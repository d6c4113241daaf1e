package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Date;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.callback.CallbackRetention;
import io.siyu.wecom.simulator.CallbackSender;

/**
 * The raw callback log keeps the decrypted XML for the retention only: a translated callback older than it keeps its
 * dedupe key and outcome and loses the XML (the external user id in it), a note of a person never linked goes, and
 * what is still pending or recent is kept whole. (The callbacks are made old by dating their receipt back, as the
 * engine's clock cannot be moved half a year under the other tests.)
 */
@EngineTest
class CallbackRetentionTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;
    @Autowired
    CallbackRetention retention;
    @LocalServerPort
    int port;

    @Test
    void aTranslatedCallbackOlderThanTheRetentionKeepsOnlyItsKeyAndOutcome() {
        String run = String.valueOf(System.nanoTime());
        String external = "wm-old-" + run;
        String stranger = "wm-stranger-old-" + run;
        String unionid = "u-old-" + run;
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        SimulatedWeCom.WECOM.externalContact(stranger, "u-stranger-old-" + run);
        new Api(web).registerWith(unionid, null);
        CallbackSender sender = new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + port + "/wecom/callback"), clock);
        String now = String.valueOf(clock.instant().getEpochSecond());
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-old", external, null, now));
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-old", stranger, null, now));
        MongoCollection<Document> log = syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_callbacks");
        MongoCollection<Document> notes = syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_unlinked");
        await().atMost(Duration.ofSeconds(20)).until(() -> "recorded".equals(outcome(log, external))
                && "unlinked".equals(outcome(log, stranger)));
        String recent = "wm-recent-" + run;
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-old", recent, null, now));

        // older than the retention (the test engine keeps 10 years: tests move the shared clock by months)
        Date old = Date.from(clock.instant().minus(Duration.ofDays(7_300)));
        log.updateMany(Filters.regex("_id", "\\|(" + external + "|" + stranger + ")\\|"), Updates.set("receivedAt", old));
        notes.updateOne(Filters.eq("_id", "u-stranger-old-" + run), Updates.set("lastAt", old));
        retention.prune();

        for (String person : new String[] {external, stranger}) {
            Document pruned = log.find(Filters.regex("_id", "\\|" + person + "\\|")).first();
            assertThat(pruned).containsEntry("pruned", true).doesNotContainKey("xml").containsKey("outcome");
        }
        assertThat(log.find(Filters.regex("_id", "\\|" + recent + "\\|")).first()).containsKey("xml");
        assertThat(notes.countDocuments(Filters.eq("_id", "u-stranger-old-" + run))).isZero();
        // a replay after a fix passes over what was pruned
        web.post().uri("/api/v1/admin/wecom/callbacks/replay").exchange().expectStatus().isAccepted();
    }

    private static String outcome(MongoCollection<Document> log, String external) {
        Document entry = log.find(Filters.regex("_id", "\\|" + external + "\\|")).first();
        return entry == null ? null : entry.getString("outcome");
    }
}
