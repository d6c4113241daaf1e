package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * A segment of buyers outside groups becomes a campaign inviting them with a group join way's QR code, sent through
 * WeCom's enterprise mass messaging (the simulator): one task per staff member for their contacts, each member once
 * (a member followed by two staff members gets it from their first contact), only members who consent to marketing,
 * none without a contact; the staff member confirms; members join through the QR code; and the campaign's results,
 * its recipient list, a segment by join state and the funnel cut by the join way's state show the same people.
 */
@EngineTest
class CampaignJourneyTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    /** A member of the test's store; {@code external} is their WeCom external user id (or null). */
    record Buyer(String memberId, String external) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void buyersOutsideGroupsAreInvitedOnceJoinThroughTheQrAndTheResultsMatchTheFunnel() {
        String run = String.valueOf(System.nanoTime());
        String store = "cj-store-" + run;
        String chat = "wr-cj-" + run;
        String state = "cj-" + run.substring(run.length() - 12);
        WECOM.group(chat, "v1", Map.of());
        String staffA = "cj-a-" + run;
        String staffB = "cj-b-" + run;

        List<Buyer> invited = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            invited.add(buyer(store, true, staffA));
        }
        Buyer followedTwice = buyer(store, true, staffA, staffB);
        invited.add(followedTwice);
        Buyer noConsent = buyer(store, false, staffA);
        Buyer noContact = buyer(store, true);
        Buyer inGroupAlready = buyer(store, true, staffA);
        joinGroup(inGroupAlready, "wr-other-" + run, null);

        // the join way: made once per state
        Map<String, Object> way = body(post("/api/v1/wecom/join-ways", Map.of("state", state, "chatIds", List.of(chat),
                "remark", "首购入群")).expectStatus().isCreated());
        assertThat((String) way.get("qrCode")).startsWith("https://");
        post("/api/v1/wecom/join-ways", Map.of("state", state, "chatIds", List.of(chat))).expectStatus().isOk()
                .expectBody().jsonPath("$.configId").isEqualTo(way.get("configId"));
        post("/api/v1/wecom/join-ways", Map.of("state", state, "chatIds", List.of(chat, "wr-elsewhere")))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:siyu:problem:join-way-state-taken");
        assertThat(WECOM.joinWays().values()).filteredOn(made -> state.equals(made.state())).hasSize(1)
                .allSatisfy(made -> assertThat(made.scene()).isEqualTo(2));

        String segment = "buyers-outside-" + run;
        post("/api/v1/segments", Map.of("segmentId", segment, "name", "首购未入群", "criteria", Map.of("and", List.of(
                Map.of("store", Map.of("in", List.of(store))),
                Map.of("funnelStage", Map.of("reached", "first_purchase")),
                Map.of("not", Map.of("inWeComGroup", Map.of())))))).expectStatus().isCreated();

        String campaign = "invite-" + run;
        Map<String, Object> define = Map.of("campaignId", campaign, "name", "首购入群邀请", "segmentId", segment,
                "message", Map.of("text", "感谢首购！扫码加入会员群，领专属福利",
                        "attachments", List.of(Map.of("type", "join_way_qr", "joinWayState", state))),
                "joinWindowDays", 7);
        Map<String, Object> saved = body(post("/api/v1/campaigns", define).expectStatus().isCreated());
        assertThat((Map<String, Object>) saved.get("results")).containsEntry("joinWayState", state)
                .containsEntry("joinChatIds", List.of(chat));
        post("/api/v1/campaigns", define).expectStatus().isOk().expectBody().jsonPath("$.duplicate").isEqualTo(true);

        // WeCom gets one task, from staff A, for the four consenting contacts outside groups
        await().atMost(Duration.ofSeconds(30)).until(() -> WECOM.massMessageTasks(staffA) == 1);
        WeComSimulator.MassMessage task = WECOM.massMessages().values().stream()
                .filter(message -> message.recipients(staffA).size() > 0).filter(message -> message.recipients(staffA)
                        .contains(invited.get(0).external())).findFirst().orElseThrow();
        assertThat(task.recipients(staffA)).containsExactlyInAnyOrderElementsOf(invited.stream().map(Buyer::external)
                .toList());
        assertThat(task.text()).isEqualTo("感谢首购！扫码加入会员群，领专属福利");
        assertThat(task.attachments().toString()).contains("\"msgtype\":\"image\"").contains((String) way.get("qrCode"));
        assertThat(WECOM.massMessageTasks(staffB)).as("a member followed twice gets it from their first contact")
                .isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("targeted", 4).containsEntry("awaitingConfirmation", 4)
                    .containsEntry("sent", 0);
            assertThat((Map<String, Object>) results.get("heldBack")).containsEntry("consent", 1)
                    .containsEntry("noContact", 1).containsEntry("receiveLimit", 0);
        });

        // the staff member confirms in the WeCom client; Siyu collects the outcomes
        assertThat(WECOM.confirmMassMessages(staffA)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(results(campaign))
                .containsEntry("sent", 4).containsEntry("awaitingConfirmation", 0));
        Map<String, Object> delivery = (Map<String, Object>) new Api(web).get("/api/v1/campaigns/" + campaign)
                .get("delivery");
        assertThat((List<Map<String, Object>>) delivery.get("byStaff")).singleElement().satisfies(row ->
                assertThat(row).containsEntry("staffUserId", staffA).containsEntry("tasks", 1)
                        .containsEntry("confirmed", 1).containsEntry("notConfirmed", 0));

        // three of them join through the QR code, one of those buys again
        clock.advance(Duration.ofMinutes(5));
        for (Buyer buyer : invited.subList(0, 3)) {
            String[] joined = WECOM.joinThroughJoinWay(state, buyer.external());
            new WeComCallbacks(web, clock).deliver(WeComCallbacks.chat(joined[0], "add_member", buyer.external(),
                    joined[1], joined[2], String.valueOf(clock.instant().getEpochSecond())));
        }
        clock.advance(Duration.ofMinutes(5));
        new Api(web).purchaseAt(invited.get(0).memberId(), "cj-after-" + run, 8800, clock.instant())
                .expectStatus().is2xxSuccessful();

        Set<String> joinedIds = new HashSet<>(invited.subList(0, 3).stream().map(Buyer::memberId).toList());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("joined", 3).containsEntry("firstPurchaseAfterJoin", 1);
            List<Map<String, Object>> staff = (List<Map<String, Object>>) results.get("byStaff");
            assertThat(staff).singleElement().satisfies(row -> assertThat(row).containsEntry("staffUserId", staffA)
                    .containsEntry("sent", 4).containsEntry("joined", 3));
        });
        Map<String, Object> listed = new Api(web).get("/api/v1/campaigns/" + campaign + "/recipients?state=joined");
        assertThat(((List<Map<String, Object>>) listed.get("recipients")).stream().map(r -> (String) r.get("memberId"))
                .toList()).containsExactlyInAnyOrderElementsOf(joinedIds);

        // the same people by the join way's state: a segment, and the funnel cut
        String byState = "joined-" + run;
        post("/api/v1/segments", Map.of("segmentId", byState, "name", "扫码入群", "criteria", Map.of("joinState",
                Map.of("in", List.of(state))))).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat((List<String>) new Api(web)
                .get("/api/v1/segments/" + byState + "/members").get("members"))
                .containsExactlyInAnyOrderElementsOf(joinedIds));
        LocalDate today = LocalDate.ofInstant(clock.instant(), SHANGHAI);
        // each read model reads the facts in its own time: the funnel (member facts) and the timeline are awaited
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> funnel = new Api(web).get("/api/v1/funnels/private-domain?from=" + today.minusDays(2)
                    + "&to=" + today + "&joinState=" + state);
            assertThat(funnel).containsEntry("joinState", state);
            Map<String, Object> total = (Map<String, Object>) funnel.get("total");
            Map<String, Integer> stages = new java.util.HashMap<>();
            ((List<Map<String, Object>>) total.get("stages")).forEach(stage ->
                    stages.put((String) stage.get("stage"), (Integer) stage.get("members")));
            // the cut holds exactly the three who joined; the funnel is sequential (its group stage follows a repeat
            // purchase), and its last stage is the campaign's "first purchase after joining"
            assertThat(stages).containsEntry("registered", 3).containsEntry("first_purchase", 3)
                    .containsEntry("repeat_after_group", 1);
        });

        // the timeline says it in the agent's words
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> entries = (List<Map<String, Object>>) web.get()
                    .uri("/api/v1/members/" + invited.get(0).memberId() + "/timeline?limit=50")
                    .header(org.springframework.http.HttpHeaders.ACCEPT_LANGUAGE, "en").exchange().expectStatus()
                    .isOk().expectBody(Map.class).returnResult().getResponseBody().get("entries");
            assertThat(entries).filteredOn(entry -> "campaign-sent".equals(entry.get("kind"))).singleElement()
                    .satisfies(entry -> assertThat((String) entry.get("line")).contains("Invited to group " + chat)
                            .contains("首购入群邀请"));
            assertThat(entries).extracting(entry -> entry.get("kind")).containsOnlyOnce("campaign-queued");
        });
        for (Buyer never : List.of(noConsent, noContact, inGroupAlready)) {
            assertThat((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + never.memberId()
                    + "/timeline?limit=50").get("entries")).extracting(entry -> (String) entry.get("kind"))
                    .noneMatch(kind -> kind.startsWith("campaign-"));
        }
        assertThat(WECOM.massMessageTasks(staffA)).as("a one-off campaign sends once").isEqualTo(1);

        // computed from events: a rebuild gives the same numbers
        Map<String, Object> before = results(campaign);
        web.post().uri("/api/v1/admin/projections/campaign-results/rebuild").exchange().expectStatus()
                .is2xxSuccessful();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(new Api(web)
                .get("/api/v1/admin/projections/campaign-results/rebuild")).containsEntry("state", "done"));
        Map<String, Object> after = results(campaign);
        for (String figure : List.of("targeted", "heldBack", "sent", "joined", "firstPurchaseAfterJoin", "byStaff",
                "byDay", "runs")) {
            assertThat(after.get(figure)).as(figure).isEqualTo(before.get(figure));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTaskWhoseCallGotNoAnswerIsLookedUpInWeComBeforeItIsSentAgainAndTheResendIsReported() {
        String run = String.valueOf(System.nanoTime());
        String store = "cj-lost-" + run;
        String staff = "cj-lost-staff-" + run;
        buyer(store, true, staff);
        String segment = "cj-lost-seg-" + run;
        post("/api/v1/segments", Map.of("segmentId", segment, "name", "门店", "criteria",
                Map.of("store", Map.of("in", List.of(store))))).expectStatus().isCreated();
        // the call leaves and no answer comes back: WeCom never got to act on it, but Siyu cannot know that
        WECOM.loseAnswers("externalcontact/add_msg_template", 1, false);
        String campaign = "cj-lost-" + run;
        post("/api/v1/campaigns", Map.of("campaignId", campaign, "name", "失联重试", "segmentId", segment,
                "message", Map.of("text", "回来看看 " + run))).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((Map<String, Object>) ((Map<String,
                Object>) new Api(web).get("/api/v1/campaigns/" + campaign).get("delivery")).get("tasksByStatus"))
                .containsEntry("intent", 1));
        assertThat(WECOM.massMessageTasks(staff)).isZero();
        assertThat((Map<String, Object>) results(campaign)).containsEntry("awaitingConfirmation", 0);
        clock.advance(Duration.ofMinutes(1)); // past the moment a call could still be on its way
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> delivery = (Map<String, Object>) new Api(web).get("/api/v1/campaigns/" + campaign)
                    .get("delivery");
            assertThat((Map<String, Object>) delivery.get("tasksByStatus")).containsEntry("created", 1);
            assertThat(delivery).containsEntry("resentAfterLookup", 1).containsEntry("possibleDuplicates", 0);
        });
        assertThat(WECOM.massMessageTasks(staff)).as("looked up, found nothing, made once").isEqualTo(1);
        assertThat(WECOM.calls("externalcontact/get_groupmsg_list_v2")).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(results(campaign))
                .containsEntry("awaitingConfirmation", 1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void badCampaignsAreRefusedNamingTheField() {
        String run = String.valueOf(System.nanoTime());
        String segment = "bad-campaign-seg-" + run;
        post("/api/v1/segments", Map.of("segmentId", segment, "name", "任意", "criteria",
                Map.of("store", Map.of("in", List.of("none-" + run))))).expectStatus().isCreated();
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", "nope-" + run,
                "message", Map.of("text", "hi")), "segmentId");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of()), "message");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("text",
                "长".repeat(1400))), "message.text");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "link", "title", "t")))), "message.attachments[0].url");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "join_way_qr", "joinWayState", "none-" + run)))),
                "message.attachments[0].joinWayState");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "video")))), "message.attachments[0].type");
        refused(Map.of("campaignId", "c " + run, "name", "n", "segmentId", segment, "message", Map.of("text", "x")),
                "campaignId");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("text", "x"),
                "schedule", Map.of("kind", "once", "endAt", Instant.now().plusSeconds(3600).toString())),
                "schedule.endAt");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("text", 12)),
                "message.text");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("text", "x"),
                "purpose", "spam"), "purpose");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "image", "picUrl", "javascript:alert(1)")))), "message.attachments[0].picUrl");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "link", "title", "t", "url", "hello")))), "message.attachments[0].url");
        refused(Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment, "message", Map.of("attachments",
                List.of(Map.of("type", "image", "mediaId", "m", "picUrl", "https://img.example.com/a.png")))),
                "message.attachments[0].mediaId");
        web.post().uri("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"campaignId\":\"c-"
                + run + "\",\"name\":\"n\",\"segmentId\":\"" + segment + "\",\"message\":{\"text\":\"x\"}} xyz")
                .exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/funnels/private-domain?joinState=a b").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("joinState");
        WECOM.group("wr-known-" + run, "v1", Map.of());
        post("/api/v1/wecom/join-ways", Map.of("state", "s-nochat-" + run.substring(run.length() - 8), "chatIds",
                List.of("wr-unknown-" + run))).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("chatIds");
        web.get().uri("/api/v1/campaigns/never-" + run).exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-campaign");
        // the same id with another definition is refused, not overwritten
        Map<String, Object> first = Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment,
                "message", Map.of("text", "first"));
        post("/api/v1/campaigns", first).expectStatus().isCreated();
        post("/api/v1/campaigns", Map.of("campaignId", "c-" + run, "name", "n", "segmentId", segment,
                "message", Map.of("text", "second"))).expectStatus().isEqualTo(409);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(web.get().uri("/api/v1/campaigns")
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody())
                .anySatisfy(listed -> assertThat((Map<String, Object>) listed).containsEntry("campaignId", "c-" + run)));
        post("/api/v1/wecom/join-ways", Map.of("state", "x".repeat(31), "chatIds", List.of("wr-1")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("state");
        post("/api/v1/wecom/join-ways", Map.of("state", "s-" + run, "chatIds", List.of("a", "b", "c", "d", "e",
                "f"))).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("chatIds");
    }

    private void refused(Map<String, Object> body, String field) {
        post("/api/v1/campaigns", body).expectStatus().isBadRequest().expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.errors[0].field").isEqualTo(field);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> results(String campaign) {
        return (Map<String, Object>) new Api(web).get("/api/v1/campaigns/" + campaign).get("results");
    }

    /** A member of {@code store} who bought once, consents to marketing or not, and is a contact of {@code staff}. */
    private Buyer buyer(String store, boolean consents, String... staff) {
        String unionid = "u-cj-" + System.nanoTime();
        String member = new Api(web).registerWith(unionid, store);
        new Api(web).purchase(member, "cj-" + System.nanoTime(), 12900).expectStatus().is2xxSuccessful();
        if (consents) {
            post("/api/v1/members/" + member + "/consents", Map.of("changeId", "cj-" + member, "purpose",
                    "marketing", "granted", true)).expectStatus().isOk();
        }
        String external = staff.length == 0 ? null : "wm-cj-" + System.nanoTime();
        if (external != null) {
            WECOM.externalContact(external, unionid);
        }
        for (String staffUserId : staff) {
            clock.advance(Duration.ofSeconds(2)); // the first staff contact is the earlier one
            WECOM.follow(external, staffUserId);
            WeComCallbacks callbacks = new WeComCallbacks(web, clock);
            callbacks.deliver(WeComCallbacks.contact("add_external_contact", staffUserId, external, null,
                    callbacks.now()));
        }
        Buyer buyer = new Buyer(member, external);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat((List<Object>) new Api(web)
                .get("/api/v1/members/" + member + "/timeline?limit=50").get("entries"))
                .filteredOn(entry -> "wecom-contact-added".equals(((Map<String, Object>) entry).get("kind")))
                .hasSize(staff.length));
        return buyer;
    }

    private void joinGroup(Buyer buyer, String chat, String state) {
        java.util.HashMap<String, String> members = new java.util.HashMap<>();
        members.put(buyer.external(), state);
        WECOM.group(chat, "v2", members);
        new WeComCallbacks(web, clock).deliver(WeComCallbacks.chat(chat, "add_member", buyer.external(), "v1", "v2",
                String.valueOf(clock.instant().getEpochSecond())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat((List<Object>) new Api(web)
                .get("/api/v1/members/" + buyer.memberId() + "/timeline?limit=50").get("entries"))
                .anySatisfy(entry -> assertThat(((Map<?, ?>) entry).get("kind")).isEqualTo("wecom-group-joined")));
    }

    private WebTestClient.ResponseSpec post(String path, Object body) {
        return new Api(web).post(path, body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }
}
