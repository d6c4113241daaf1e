package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;

/**
 * Bridge work that was given up is on the operators' dead-letter surface beside the processors' letters: a dead
 * translation is listed under {@code work} as {@code wecom-translation} (its key shown without the person in it),
 * counted by the gauge, and {@code POST …/wecom-translation/retry} puts it back to work; translated again, it records
 * nothing twice and leaves the list.
 */
@EngineTest
@SuppressWarnings("unchecked")
class BridgeDeadWorkTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;
    @LocalServerPort
    int port;

    @Test
    void aDeadTranslationIsListedWithTheDeadLettersAndAnOperatorsRetryTranslatesItOnce() {
        String unionid = "u-dead-" + System.nanoTime();
        String external = "wm-dead-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        String memberId = new Api(web).registerWith(unionid, null);
        String createTime = String.valueOf(clock.instant().getEpochSecond());
        new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + port + "/wecom/callback"), clock)
                .send(WeComCallbacks.contact("add_external_contact", "staff-d", external, null, createTime));
        String key = "change_external_contact|add_external_contact|staff-d|" + external + "|" + createTime;
        MongoCollection<Document> work = syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_work");
        await().atMost(Duration.ofSeconds(20)).until(() -> work.countDocuments(Filters.eq("_id", key)) == 0
                && kinds(memberId).contains("wecom-contact-added"));

        // as the giving-up policy leaves an entry after its last attempt
        work.insertOne(new Document("_id", key).append("about", external).append("state", "dead")
                .append("attempts", 30).append("queuedAt", Date.from(clock.instant()))
                .append("deadAt", Date.from(clock.instant())).append("lastError", "WxErrorException errcode 50001"));
        Map<String, Object> translation = work().stream().filter(kind -> "wecom-translation".equals(kind.get("group")))
                .findFirst().orElseThrow();
        assertThat(translation).containsEntry("letters", 1);
        assertThat((List<Map<String, Object>>) translation.get("first")).singleElement().satisfies(dead -> {
            assertThat(dead).containsEntry("kind", "translation").containsEntry("attempts", 30)
                    .containsEntry("lastError", "WxErrorException errcode 50001");
            assertThat((String) dead.get("id")).startsWith("change_external_contact|add_external_contact|" + createTime)
                    .doesNotContain(external);
        });
        assertThat(work()).extracting(kind -> kind.get("group")).contains("wecom-outbox");
        web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics).contains("siyu_events_dead_letters{group=\"wecom-translation\"} 1.0"));

        web.post().uri("/api/v1/admin/dead-letters/wecom-translation/retry").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.sequencesCleared").isEqualTo(1).jsonPath("$.remaining").isEqualTo(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> work.countDocuments(Filters.eq("_id", key)) == 0);
        assertThat(kinds(memberId)).containsOnlyOnce("wecom-contact-added");
        assertThat(work()).filteredOn(kind -> "wecom-translation".equals(kind.get("group")))
                .singleElement().satisfies(kind -> assertThat(kind).containsEntry("letters", 0));
    }

    private List<Map<String, Object>> work() {
        return (List<Map<String, Object>>) new Api(web).get("/api/v1/admin/dead-letters").get("work");
    }

    private List<Object> kinds(String memberId) {
        return ((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + memberId + "/timeline")
                .get("entries")).stream().map(entry -> entry.get("kind")).toList();
    }
}
