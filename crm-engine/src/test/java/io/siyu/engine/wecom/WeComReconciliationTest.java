package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;


import io.siyu.engine.SiyuApplication;
import io.siyu.engine.support.EngineHttp;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * WeCom's own state is the reference: its simulator holds contacts, tags, an ended relationship and group members for
 * which no callback was ever delivered (beside some that were). One reconciliation run, started by an operator over
 * HTTP and followed to its end, records every missing fact once, marked as found; a second run records nothing;
 * facts that came by callback are not doubled; and callbacks that arrive after reconciliation found their facts
 * record nothing. Its own engine and simulator: a run reads every contact WeCom has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class WeComReconciliationTest {

    private static final String SECRET = "reconcile-secret";

    private WeComSimulator wecom;
    private ConfigurableApplicationContext engine;
    private Path data;
    private int port;
    private String operator;
    private String integration;

    @BeforeAll
    void start() throws Exception {
        wecom = new WeComSimulator(EngineTest.WECOM_CORP, SECRET);
        data = Files.createTempDirectory("siyu-reconcile");
        engine = new SpringApplicationBuilder(SiyuApplication.class).run("--siyu.embedded.in-memory=true",
                "--siyu.data-dir=" + data, "--server.port=0", "--logging.level.root=warn", "--server.shutdown=immediate",
                "--siyu.wecom.corp-id=" + EngineTest.WECOM_CORP, "--siyu.wecom.token=" + EngineTest.WECOM_TOKEN,
                "--siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY, "--siyu.wecom.secret=" + SECRET,
                "--siyu.wecom.agent-id=1000002", "--siyu.wecom.api-base-url=" + wecom.baseUrl(),
                "--siyu.wecom.welcome=", "--siyu.wecom.reconciliation.on-start=false",
                "--siyu.wecom.reconciliation.cron=-", "--siyu.wecom.reconciliation.lease=2s",
                "--siyu.wecom.work.max-attempts=3");
        port = Integer.parseInt(engine.getEnvironment().getProperty("local.server.port"));
        operator = "Bearer " + Files.readString(data.resolve("operator.credential")).trim();
        integration = "Bearer " + call("POST", "/api/v1/admin/credentials", operator,
                Map.of("role", "integration", "name", "reconcile-pos")).get("secret");
    }

    @AfterAll
    void stop() {
        engine.close();
        wecom.close();
    }

    @Test
    void aRunRecordsWhatWeComHasAndSiyuMissedOnceAndNothingTwice() throws Exception {
        long now = Clock.systemUTC().instant().getEpochSecond();
        String a = person("a");
        String b = person("b");
        String c = person("c");
        String d = person("d");
        String f = person("f");
        wecom.externalContact("wm-e", "u-e"); // a contact who is no member
        wecom.corpTag("et-vip", "VIP", "等级");

        // by callback: B's contact with staff-1 and D's with staff-2
        wecom.follow("wm-b", "staff-1", now - 600);
        wecom.follow("wm-d", "staff-2", now - 500);
        // WeCom's list gives F's add time a second after the add callback's CreateTime: one relationship all the same
        wecom.follow("wm-f", "staff-1", now - 699);
        CallbackSender sender = new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + port + "/wecom/callback"), Clock.systemUTC());
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-1", "wm-b", null, String.valueOf(now - 600)));
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-2", "wm-d", null, String.valueOf(now - 500)));
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-1", "wm-f", null, String.valueOf(now - 700)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(kinds(b)).contains("wecom-contact-added");
            assertThat(kinds(d)).contains("wecom-contact-added");
            assertThat(kinds(f)).contains("wecom-contact-added");
        });
        // never delivered: A's contact (tagged VIP), C's, E's; D's ended; A and C in a group
        wecom.follow("wm-a", "staff-1", now - 400);
        wecom.tagInApp("wm-a", "staff-1", "et-vip");
        wecom.follow("wm-c", "staff-2", now - 300);
        wecom.follow("wm-e", "staff-2", now - 200);
        wecom.unfollow("wm-d", "staff-2");
        wecom.group("wr-reconcile", "v7", Map.of("wm-a", "poster-1", "wm-c", "poster-1"));
        wecom.joinTime("wr-reconcile", "wm-a", now - 100);

        Map<String, Object> first = run();
        assertThat(first).containsEntry("state", "done").containsEntry("phase", "done")
                .containsEntry("staffDone", 2).containsEntry("staffTotal", 2)
                .containsEntry("relationshipsSeen", 5).containsEntry("groupsSeen", 1);
        // A added + tagged + joined, C added + joined, D's end
        assertThat(((Number) first.get("recorded")).intValue()).isEqualTo(6);
        assertThat(((Number) first.get("notMembers")).intValue()).isEqualTo(1);

        assertThat(kinds(a)).containsOnlyOnce("wecom-contact-added", "wecom-tags", "wecom-group-joined");
        assertThat(kinds(b)).containsOnlyOnce("wecom-contact-added").doesNotContain("wecom-contact-removed");
        assertThat(kinds(c)).containsOnlyOnce("wecom-contact-added", "wecom-group-joined");
        assertThat(kinds(d)).containsOnlyOnce("wecom-contact-added", "wecom-contact-removed");
        Map<String, Object> added = entry(a, "wecom-contact-added");
        assertThat((Map<String, Object>) added.get("data")).containsKey("foundAt");
        assertThat(Instant.parse((String) added.get("at"))).isEqualTo(Instant.ofEpochSecond(now - 400));
        assertThat((String) added.get("line")).contains("对账发现");
        assertThat((Map<String, Object>) entry(a, "wecom-tags").get("data")).containsEntry("added", List.of("VIP"));
        assertThat(Instant.parse((String) entry(a, "wecom-group-joined").get("at")))
                .isEqualTo(Instant.ofEpochSecond(now - 100));

        Map<String, Object> second = run();
        assertThat(second).containsEntry("state", "done").containsEntry("recorded", 0)
                .containsEntry("relationshipsSeen", 5).containsEntry("groupsSeen", 1);
        assertThat(kinds(f)).containsOnlyOnce("wecom-contact-added");

        // the callbacks that were lost arrive after all: the facts reconciliation found are not recorded again
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-1", "wm-a", null, String.valueOf(now - 400)));
        sender.send(WeComCallbacks.contact("add_external_contact", "staff-2", "wm-c", null, String.valueOf(now - 300)));
        sender.send(WeComCallbacks.contact("del_external_contact", "staff-2", "wm-d", null, String.valueOf(now - 50)));
        sender.send(WeComCallbacks.chat("wr-reconcile", "add_member", "wm-c", "v6", "v7", String.valueOf(now - 90)));
        await().atMost(Duration.ofSeconds(30)).until(() -> store().getCollection("wecom_work")
                .countDocuments() == store().getCollection("wecom_work").countDocuments(
                        com.mongodb.client.model.Filters.regex("_id", "^#")));
        assertThat(kinds(a)).containsOnlyOnce("wecom-contact-added", "wecom-tags", "wecom-group-joined");
        assertThat(kinds(c)).containsOnlyOnce("wecom-contact-added", "wecom-group-joined");
        assertThat(kinds(d)).containsOnlyOnce("wecom-contact-added", "wecom-contact-removed");

        // an operator asking while a run is under way gets that run; progress of an unknown run is 404
        java.net.http.HttpResponse<String> unknown = new EngineHttp(port).send("GET",
                "/api/v1/admin/wecom/reconciliations/rc-none", operator, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("urn:siyu:problem:unknown-reconciliation");
    }

    /**
     * A run WeCom keeps refusing is resumed from its cursor by the next check, and given up ({@code failed}, with its
     * last error) after the bridge's giving-up policy's attempts; the next run starts afresh and finishes.
     */
    @Test
    void aRunThatKeepsFailingIsGivenUpAndTheNextOneFinishes() throws Exception {
        wecom.fail("externalcontact/get_follow_user_list", 3, 50001);
        Map<String, Object> failed = run();
        assertThat(failed).containsEntry("state", "failed");
        assertThat((String) failed.get("lastError")).contains("errcode 50001");
        assertThat(run()).containsEntry("state", "done");
    }

    /** Starts a run as an operator and follows its progress to the end. */
    private Map<String, Object> run() throws Exception {
        Map<String, Object> started = call("POST", "/api/v1/admin/wecom/reconciliations", operator, Map.of());
        String runId = (String) ((Map<String, Object>) started.get("run")).get("runId");
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(progress(runId).get("state")));
        return progress(runId);
    }

    private Map<String, Object> progress(String runId) throws Exception {
        return call("GET", "/api/v1/admin/wecom/reconciliations/" + runId, operator, null);
    }

    private String person(String name) throws Exception {
        wecom.externalContact("wm-" + name, "u-" + name);
        return (String) call("POST", "/api/v1/members", integration,
                Map.of("openid", "o-" + name, "unionid", "u-" + name)).get("memberId");
    }

    private List<Object> kinds(String memberId) throws Exception {
        return entries(memberId).stream().map(entry -> entry.get("kind")).toList();
    }

    private Map<String, Object> entry(String memberId, String kind) throws Exception {
        return entries(memberId).stream().filter(entry -> kind.equals(entry.get("kind"))).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> entries(String memberId) throws Exception {
        return (List<Map<String, Object>>) call("GET", "/api/v1/members/" + memberId + "/timeline", operator, null)
                .get("entries");
    }

    private com.mongodb.client.MongoDatabase store() {
        return engine.getBean(com.mongodb.client.MongoClient.class)
                .getDatabase(engine.getBean(io.siyu.engine.store.MongoEndpoint.class).database());
    }

    private Map<String, Object> call(String method, String path, String credential, Object body) throws Exception {
        return new EngineHttp(port).call(method, path, credential, body);
    }
}
