package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

import io.siyu.engine.support.WeComEngineProcess;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * Bridge work survives the engine: the engine runs in a JVM of its own on a durable store, WeCom (the simulator)
 * withholds its answers while translations and a re-link are under way, and the engine is killed with SIGKILL — then,
 * in a second round, stopped normally. Each next start finishes the work: every fact once.
 */
class BridgeRestartTest {

    private static final String SECRET = "restart-secret";
    private static final String READ_CONTACT = "externalcontact/get";

    @TempDir
    Path data;

    private WeComSimulator wecom;
    private WeComEngineProcess engine;
    private String operator;
    private String integration;

    @BeforeEach
    void ports() throws IOException {
        wecom = new WeComSimulator(EngineTest.WECOM_CORP, SECRET);
        engine = new WeComEngineProcess(data, wecom, SECRET);
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        wecom.close();
    }

    @Test
    void translationsAndAReLinkUnderWayWhenTheEngineIsKilledOrStoppedAreFinishedByTheNextStart() throws Exception {
        start();
        // B first writes to a brand's staff member without being a member: the callback is settled unlinked
        wecom.externalContact("wm-b", "u-b");
        sender().send(WeComCallbacks.contact("add_external_contact", "staff-1", "wm-b", null, now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "unlinked".equals(callbackOutcome("wm-b")));
        String memberA = register("o-a", "u-a");
        wecom.externalContact("wm-a", "u-a");

        // WeCom withholds its answers: B registers (re-link) and A is added; both translations wait on WeCom
        wecom.hold(READ_CONTACT);
        String memberB = register("o-b", "u-b");
        sender().send(WeComCallbacks.contact("add_external_contact", "staff-1", "wm-a", null, now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> wecom.heldCalls(READ_CONTACT) >= 1
                && queued("wm-a") && queued("wm-b"));
        engine.kill(); // SIGKILL with the work under way
        wecom.release(READ_CONTACT);

        start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(kinds(memberA)).containsOnlyOnce("wecom-contact-added");
            assertThat(kinds(memberB)).containsOnlyOnce("wecom-contact-added");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !queued("wm-a") && !queued("wm-b"));

        // a normal stop with a translation under way: the next start finishes it
        String memberC = register("o-c", "u-c");
        wecom.externalContact("wm-c", "u-c");
        wecom.hold(READ_CONTACT);
        sender().send(WeComCallbacks.contact("add_external_contact", "staff-2", "wm-c", null, now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> wecom.heldCalls(READ_CONTACT) >= 1 && queued("wm-c"));
        assertThat(engine.stop()).as("SIGTERM: Spring's normal shutdown").isTrue();
        wecom.release(READ_CONTACT);

        start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(kinds(memberC)).containsOnlyOnce("wecom-contact-added"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !queued("wm-c"));
        assertThat(kinds(memberA)).containsOnlyOnce("wecom-contact-added");
        assertThat(kinds(memberB)).containsOnlyOnce("wecom-contact-added");
    }

    private void start() throws Exception {
        engine.start();
        operator = engine.operator();
        if (integration == null) {
            integration = engine.credential("integration", "restart-pos");
        }
    }

    private String register(String openid, String unionid) throws Exception {
        return (String) call("POST", "/api/v1/members", integration, Map.of("openid", openid, "unionid", unionid))
                .get("memberId");
    }

    @SuppressWarnings("unchecked")
    private List<Object> kinds(String memberId) throws Exception {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) call("GET",
                "/api/v1/members/" + memberId + "/timeline", operator, null).get("entries");
        return entries.stream().map(entry -> entry.get("kind")).toList();
    }

    private Map<String, Object> call(String method, String path, String credential, Object body) throws Exception {
        return engine.call(method, path, credential, body);
    }

    private String callbackOutcome(String external) {
        try (MongoClient store = store()) {
            Document callback = store.getDatabase("siyu").getCollection("wecom_callbacks")
                    .find(Filters.regex("_id", "\\|" + external + "\\|")).first();
            return callback == null ? null : callback.getString("outcome");
        }
    }

    /** @return whether a translation about {@code external} is queued in the bridge's durable work */
    private boolean queued(String external) {
        try (MongoClient store = store()) {
            return store.getDatabase("siyu").getCollection("wecom_work")
                    .countDocuments(Filters.regex("_id", "\\|" + external + "\\|")) > 0;
        }
    }

    private MongoClient store() {
        return MongoClients.create(engine.store());
    }

    private CallbackSender sender() {
        return engine.callbacks();
    }

    private static String now() {
        return String.valueOf(Clock.systemUTC().instant().getEpochSecond());
    }
}
