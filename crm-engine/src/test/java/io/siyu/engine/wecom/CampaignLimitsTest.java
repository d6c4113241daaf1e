package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * A standing campaign against WeCom's receive limit (one enterprise mass message per customer per day, every source
 * counting): a customer who already had a staff member's own mass message today is held back and sent the next day;
 * one whom another message reached between planning and the staff member's confirmation comes back "over the limit"
 * and is planned again; a member who withdrew marketing consent is never targeted; the rule runs daily and reaches a
 * newcomer, and no member is messaged twice.
 */
@EngineTest
class CampaignLimitsTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    record Contact(String memberId, String external) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void heldBackByTheLimitThenSentAndAStandingRuleNeverMessagesAMemberTwice() {
        String run = String.valueOf(System.nanoTime());
        String store = "cl-store-" + run;
        String staff = "cl-staff-" + run;
        Contact capped = contact(store, staff, true);
        Contact fresh = contact(store, staff, true);
        Contact raced = contact(store, staff, true);
        Contact withdrew = contact(store, staff, true);
        consent(withdrew, "cl-withdraw", false);
        // the staff member sent a mass message of their own today: the customer has had today's one
        WECOM.massMessageFromStaff(staff, "店庆通知", capped.external());

        String segment = "cl-seg-" + run;
        new Api(web).post("/api/v1/segments", Map.of("segmentId", segment, "name", "门店会员", "criteria",
                Map.of("store", Map.of("in", List.of(store))))).expectStatus().isCreated();
        String campaign = "cl-rule-" + run;
        new Api(web).post("/api/v1/campaigns", Map.of("campaignId", campaign, "name", "每日欢迎入群",
                "segmentId", segment, "message", Map.of("text", "欢迎加入会员群"),
                "schedule", Map.of("kind", "daily"))).expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(30)).until(() -> campaignTasks(staff).size() == 1);
        assertThat(campaignTasks(staff).get(0).recipients(staff)).containsExactlyInAnyOrder(fresh.external(),
                raced.external());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("targeted", 3).containsEntry("awaitingConfirmation", 2);
            assertThat((Map<String, Object>) results.get("heldBack")).containsEntry("receiveLimit", 1)
                    .containsEntry("consent", 1);
        });
        Map<String, Object> held = new Api(web).get("/api/v1/campaigns/" + campaign + "/recipients?state=held-back");
        assertThat((List<Map<String, Object>>) held.get("recipients")).singleElement()
                .satisfies(recipient -> assertThat(recipient).containsEntry("memberId", capped.memberId()));

        // another message reaches one of them before the staff member confirms: WeCom answers "over the limit"
        WECOM.massMessageFromStaff(staff, "临时通知", raced.external());
        clock.advance(Duration.ofSeconds(2));
        assertThat(WECOM.confirmMassMessages(staff)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("sent", 1).containsEntry("awaitingConfirmation", 0);
            assertThat((Map<String, Object>) results.get("heldBack")).containsEntry("receiveLimit", 2);
        });

        // a newcomer qualifies; the next day the rule runs again and the window allows the held-back two
        Contact newcomer = contact(store, staff, true);
        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> campaignTasks(staff).size() == 3);
        List<String> secondDay = new ArrayList<>();
        campaignTasks(staff).subList(1, 3).forEach(task -> secondDay.addAll(task.recipients(staff)));
        assertThat(secondDay).containsExactlyInAnyOrder(capped.external(), raced.external(), newcomer.external());
        clock.advance(Duration.ofSeconds(2)); // the staff member confirms a little later (WeCom's times are seconds)
        WECOM.confirmMassMessages(staff);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("targeted", 4).containsEntry("sent", 4);
            assertThat((Map<String, Object>) results.get("heldBack")).containsEntry("receiveLimit", 0)
                    .containsEntry("consent", 1);
        });

        // a third day: the rule runs, finds nobody new, and sends nothing
        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ((List<Object>) results(campaign).get("runs")).size()).isGreaterThanOrEqualTo(3));
        assertThat(campaignTasks(staff)).hasSize(3);
        List<String> everyone = new ArrayList<>();
        List<String> reached = new ArrayList<>();
        campaignTasks(staff).forEach(task -> {
            everyone.addAll(task.recipients(staff));
            reached.addAll(task.delivered(staff));
        });
        assertThat(everyone).doesNotContain(withdrew.external());
        assertThat(reached).as("each member reached once").containsExactlyInAnyOrder(fresh.external(),
                capped.external(), raced.external(), newcomer.external());
        assertThat(WECOM.massMessagesReceived(capped.external())).as("its own and the campaign's, on two days")
                .isEqualTo(2);
        // the member's stream says what happened to the raced one: queued, over the limit, held back, sent
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((List<Map<String, Object>>) new Api(web)
                .get("/api/v1/members/" + raced.memberId() + "/timeline?limit=50").get("entries"))
                .extracting(entry -> (String) entry.get("kind")).filteredOn(kind -> kind.startsWith("campaign-"))
                .containsExactly("campaign-sent", "campaign-queued", "campaign-held-back", "campaign-not-sent",
                        "campaign-queued"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void stoppingACampaignGivesUpTheMembersItHeldBack() {
        String run = String.valueOf(System.nanoTime());
        String store = "cl-stop-" + run;
        String staff = "cl-stop-staff-" + run;
        Contact capped = contact(store, staff, true);
        WECOM.massMessageFromStaff(staff, "周末通知", capped.external());
        String segment = "cl-stop-seg-" + run;
        new Api(web).post("/api/v1/segments", Map.of("segmentId", segment, "name", "门店会员", "criteria",
                Map.of("store", Map.of("in", List.of(store))))).expectStatus().isCreated();
        String campaign = "cl-stop-" + run;
        new Api(web).post("/api/v1/campaigns", Map.of("campaignId", campaign, "name", "暂停测试",
                "segmentId", segment, "message", Map.of("text", "欢迎"))).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((Map<String, Object>) results(campaign)
                .get("heldBack")).containsEntry("receiveLimit", 1));
        new Api(web).post("/api/v1/campaigns/" + campaign + "/stop", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.stopped").isEqualTo(true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> results = results(campaign);
            assertThat(results).containsEntry("stopped", true);
            assertThat((Map<String, Object>) results.get("heldBack")).containsEntry("receiveLimit", 0)
                    .containsEntry("givenUp", 1);
        });
        clock.advance(Duration.ofDays(1)); // the window that would have allowed it: nothing is sent
        assertThat(campaignTasks(staff)).isEmpty();
        assertThat((List<Map<String, Object>>) new Api(web).get("/api/v1/campaigns/" + campaign
                + "/recipients?state=given-up").get("recipients")).singleElement()
                .satisfies(recipient -> assertThat(recipient).containsEntry("memberId", capped.memberId()));
    }

    /** The tasks Siyu handed to the staff member (API-made, in the order made). */
    private List<WeComSimulator.MassMessage> campaignTasks(String staff) {
        return WECOM.massMessages().entrySet().stream().sorted(Map.Entry.comparingByKey(
                        java.util.Comparator.comparingLong(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1)))))
                .map(Map.Entry::getValue).filter(message -> !message.recipients(staff).isEmpty())
                .filter(message -> !List.of("店庆通知", "临时通知", "周末通知").contains(message.text())).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> results(String campaign) {
        return (Map<String, Object>) new Api(web).get("/api/v1/campaigns/" + campaign).get("results");
    }

    private Contact contact(String store, String staff, boolean consents) {
        String unionid = "u-cl-" + System.nanoTime();
        String external = "wm-cl-" + System.nanoTime();
        String member = new Api(web).registerWith(unionid, store);
        Contact contact = new Contact(member, external);
        if (consents) {
            consent(contact, "cl-give", true);
        }
        WECOM.externalContact(external, unionid);
        WECOM.follow(external, staff);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", staff, external, null, callbacks.now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat((List<Object>) new Api(web)
                .get("/api/v1/members/" + member + "/timeline?limit=50").get("entries"))
                .anySatisfy(entry -> assertThat(((Map<?, ?>) entry).get("kind")).isEqualTo("wecom-contact-added")));
        return contact;
    }

    private void consent(Contact contact, String changeId, boolean granted) {
        new Api(web).post("/api/v1/members/" + contact.memberId() + "/consents", Map.of("changeId",
                changeId + "-" + contact.memberId(), "purpose", "marketing", "granted", granted))
                .expectStatus().isOk();
    }
}
