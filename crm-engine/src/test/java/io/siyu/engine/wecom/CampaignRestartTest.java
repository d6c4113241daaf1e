package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.siyu.engine.support.WeComEngineProcess;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * A campaign survives its engine: the engine runs in a JVM of its own on a durable store and is killed with SIGKILL
 * twice — first while WeCom has made the mass-message task but withholds its answer (so the engine never learnt the
 * msgid), then while the staff member has not confirmed the task. The next starts find the task in WeCom's list and
 * adopt it instead of making it again, and still collect the outcomes the staff member's confirmation produced.
 */
class CampaignRestartTest {

    private static final String SECRET = "campaign-restart-secret";
    private static final String ADD_TASK = "externalcontact/add_msg_template";
    private static final String STAFF = "staff-restart";

    @TempDir
    Path data;

    private WeComSimulator wecom;
    private WeComEngineProcess engine;
    private String operator;
    private String integration;
    private String marketer;

    @BeforeEach
    void ports() throws IOException {
        wecom = new WeComSimulator(EngineTest.WECOM_CORP, SECRET);
        engine = new WeComEngineProcess(data, wecom, SECRET, "--siyu.segments.refresh-interval=300ms",
                "--siyu.campaigns.tick=200ms", "--siyu.campaigns.poll-interval=300ms", "--siyu.campaigns.lease=2s",
                "--siyu.campaigns.lookup-margin=8s");
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        wecom.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTaskWeComMadeBeforeTheEngineDiedIsAdoptedNotMadeAgainAndItsOutcomesAreStillCollected() throws Exception {
        start();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String unionid = "u-restart-" + i;
            String external = "wm-restart-" + i;
            String member = (String) call("POST", "/api/v1/members", integration, Map.of("openid", "o-restart-" + i,
                    "unionid", unionid)).get("memberId");
            call("POST", "/api/v1/members/" + member + "/consents", integration, Map.of("changeId", "c-" + i,
                    "purpose", "marketing", "granted", true));
            wecom.externalContact(external, unionid);
            wecom.follow(external, STAFF);
            sender().send(WeComCallbacks.contact("add_external_contact", STAFF, external, null, now()));
            members.add(member);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String member : members) {
                assertThat(kinds(member)).contains("wecom-contact-added");
            }
        });
        call("POST", "/api/v1/segments", marketer, Map.of("segmentId", "contacts", "name", "企微联系人",
                "criteria", Map.of("hasWeComContact", Map.of())));

        // WeCom makes the task but its answer never reaches the engine, which is killed meanwhile
        wecom.holdAnswers(ADD_TASK);
        call("POST", "/api/v1/campaigns", marketer, Map.of("campaignId", "welcome-back", "name", "回归礼",
                "segmentId", "contacts", "message", Map.of("text", "会员回归礼，点击领取")));
        await().atMost(Duration.ofSeconds(60)).until(() -> wecom.heldCalls(ADD_TASK) == 1);
        assertThat(wecom.massMessageTasks(STAFF)).isEqualTo(1);
        kill();
        wecom.releaseAnswers(ADD_TASK);

        start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Object> campaign = call("GET", "/api/v1/campaigns/welcome-back", marketer, null);
            Map<String, Object> delivery = (Map<String, Object>) campaign.get("delivery");
            assertThat((Map<String, Object>) delivery.get("tasksByStatus")).containsEntry("created", 1);
            assertThat((List<Map<String, Object>>) delivery.get("tasks")).singleElement()
                    .satisfies(task -> assertThat(task).containsEntry("recovery", "adopted"));
            assertThat((Map<String, Object>) campaign.get("results")).containsEntry("awaitingConfirmation", 3);
        });
        assertThat(wecom.calls(ADD_TASK)).as("the task was looked up, not made again").isEqualTo(1);
        assertThat(wecom.massMessageTasks(STAFF)).isEqualTo(1);

        // killed again while the staff member has not confirmed; they confirm while the engine is down
        kill();
        assertThat(wecom.confirmMassMessages(STAFF)).isEqualTo(1);
        start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat((Map<String, Object>) call("GET",
                "/api/v1/campaigns/welcome-back", marketer, null).get("results")).containsEntry("sent", 3)
                .containsEntry("awaitingConfirmation", 0));
        // the timeline is a projection of its own: it may read the facts a moment after the results do
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String member : members) {
                assertThat(kinds(member)).containsOnlyOnce("campaign-queued").containsOnlyOnce("campaign-sent");
            }
        });
        assertThat(wecom.calls(ADD_TASK)).isEqualTo(1);
        Map<String, Object> delivery = (Map<String, Object>) call("GET", "/api/v1/campaigns/welcome-back", marketer,
                null).get("delivery");
        assertThat(delivery).containsEntry("possibleDuplicates", 0).containsEntry("resentAfterLookup", 0);
    }

    private void kill() throws InterruptedException {
        engine.kill(); // SIGKILL
    }

    private void start() throws Exception {
        engine.start();
        operator = engine.operator();
        if (integration == null) {
            integration = engine.credential("integration", "restart-pos");
            marketer = engine.credential("marketer", "restart-marketer");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> kinds(String memberId) throws Exception {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) call("GET",
                "/api/v1/members/" + memberId + "/timeline?limit=50", operator, null).get("entries");
        return entries.stream().map(entry -> entry.get("kind")).toList();
    }

    private Map<String, Object> call(String method, String path, String credential, Object body) throws Exception {
        return engine.call(method, path, credential, body);
    }

    private CallbackSender sender() {
        return engine.callbacks();
    }

    private static String now() {
        return String.valueOf(Clock.systemUTC().instant().getEpochSecond());
    }
}
