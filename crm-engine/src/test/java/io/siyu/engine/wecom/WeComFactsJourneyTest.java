package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.api.wecom.WeComGroupChange;
import io.siyu.api.wecom.WeComGroupChanged;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * The WeCom facts the contact journey does not cover, end to end from the simulator's callback sender: a person's
 * WeCom history recorded before they became a member joins their timeline when they register; tags a staff member
 * sets in WeCom's app are re-read; a group's creation, renaming and dismissal are recorded on the group's stream and
 * move its members in and out; corp tag changes re-read the tag list; and WeCom's own retries after a lost answer
 * record nothing twice.
 */
@EngineTest
@SuppressWarnings("unchecked")
class WeComFactsJourneyTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;
    @Autowired
    EventStore eventStore;
    @LocalServerPort
    int port;

    private CallbackSender sender() {
        return new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + port + "/wecom/callback"), clock);
    }

    @Test
    void aPersonsWeComHistoryFromBeforeTheyRegisteredJoinsTheirTimeline() {
        String unionid = "u-late-" + System.nanoTime();
        String external = "wm-late-" + System.nanoTime();
        WECOM.externalContact(external, unionid);
        String addedAt = String.valueOf(clock.instant().minusSeconds(3600).getEpochSecond());
        assertThat(sender().send(WeComCallbacks.contact("add_external_contact", "staff-l", external, "poster-1",
                addedAt)).delivered()).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(callback(external))
                .containsEntry("outcome", "unlinked"));
        web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isNotFound();

        String memberId = new Api(web).registerWith(unionid, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> timeline = new Api(web).get("/api/v1/wecom/contacts/" + external + "/timeline");
            assertThat(timeline).containsEntry("memberId", memberId);
            assertThat(entries(timeline)).filteredOn(entry -> "wecom-contact-added".equals(entry.get("kind")))
                    .singleElement().satisfies(added -> assertThat((Map<String, Object>) added.get("data"))
                            .containsEntry("state", "poster-1").containsEntry("occurredAt",
                                    Instant.ofEpochSecond(Long.parseLong(addedAt)).toString()));
        });
        assertThat(callback(external)).containsEntry("outcome", "recorded");
    }

    @Test
    void aHalfAddedContactCountsAndTagsAStaffMemberSetsInWeComAreReadAgainOnEdit() {
        Person person = person();
        String external = person.external();
        String memberId = person.memberId();
        String tag = "et-edit-" + System.nanoTime();
        WECOM.corpTag(tag, "高意向", "销售阶段");
        WECOM.tagInApp(external, "staff-e", tag);
        CallbackSender sender = sender();
        // the customer added the staff member without being added back: a contact all the same
        sender.send(WeComCallbacks.contact("add_half_external_contact", "staff-e", external, null, now()));
        sender.send(WeComCallbacks.contact("edit_external_contact", "staff-e", external, null, now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(kinds(memberId)).containsSubsequence("wecom-tags", "wecom-contact-added");
            assertThat(entries(new Api(web).get("/api/v1/members/" + memberId + "/timeline")))
                    .filteredOn(entry -> "wecom-tags".equals(entry.get("kind"))).singleElement()
                    .satisfies(tags -> assertThat((Map<String, Object>) tags.get("data"))
                            .containsEntry("added", List.of("高意向")));
        });

        int tagListReads = WECOM.calls("externalcontact/get_corp_tag_list");
        sender.send("<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName>"
                + "<![CDATA[sys]]></FromUserName><CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[event]]>"
                + "</MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[" + tag + "]]></Id>"
                + "<TagType><![CDATA[tag]]></TagType><ChangeType><![CDATA[update]]></ChangeType></xml>");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(WECOM.calls("externalcontact/get_corp_tag_list")).isGreaterThan(tagListReads));
    }

    @Test
    void aGroupsCreationRenamingAndDismissalAreRecordedAndMoveItsMembers() {
        Person person = person();
        String external = person.external();
        String memberId = person.memberId();
        String chat = "wr-life-" + System.nanoTime();
        WECOM.group(chat, "v1", Map.of(external, "store-qr-7"));
        CallbackSender sender = sender();
        sender.send(chatEvent(chat, "create", null));
        sender.send(chatEvent(chat, "update", "change_name"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(memberId))
                .contains("wecom-group-joined"));
        // a member the group was created with joined by the create callback: not "found by reconciliation"
        assertThat(entries(new Api(web).get("/api/v1/members/" + memberId + "/timeline")))
                .filteredOn(entry -> "wecom-group-joined".equals(entry.get("kind"))).singleElement()
                .satisfies(joined -> {
                    assertThat((Map<String, Object>) joined.get("data")).doesNotContainKey("foundAt");
                    assertThat((String) joined.get("line")).doesNotContain("对账");
                });

        String dismissal = chatEvent(chat, "dismiss", null);
        sender.send(dismissal);
        sender.send(dismissal);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(memberId))
                .containsSubsequence("wecom-group-left", "wecom-group-joined"));
        assertThat(kinds(memberId)).containsOnlyOnce("wecom-group-left");
        List<WeComGroupChanged> history = new ArrayList<>();
        eventStore.readEvents(chat).asStream().map(EventMessage::getPayload)
                .forEach(payload -> history.add((WeComGroupChanged) payload));
        assertThat(history).extracting(WeComGroupChanged::change).containsExactly(WeComGroupChange.CREATED,
                WeComGroupChange.NAME_CHANGED, WeComGroupChange.DISMISSED);
        assertThat(history.get(0).name()).isEqualTo("VIP");
        assertThat(history.get(0).ownerUserId()).isEqualTo("staff-1");
    }

    @Test
    void weComRetriesAfterLostAnswersRecordTheFactOnce() {
        Person person = person();
        String external = person.external();
        String memberId = person.memberId();
        CallbackSender sender = sender();
        sender.loseAnswers(2);
        CallbackSender.Delivery delivery = sender.send(WeComCallbacks.contact("add_external_contact", "staff-r",
                external, null, now()));
        assertThat(delivery.requests()).isEqualTo(3);
        assertThat(delivery.lastBody()).isEqualTo("success");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(memberId))
                .containsOnlyOnce("wecom-contact-added"));
        assertThat(syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_callbacks")
                .countDocuments(Filters.regex("xml", external))).isEqualTo(1);
    }

    /**
     * Two edits in one second reach us as the same callback (an edit carries no changed field): the second must be
     * read again, not taken for WeCom's retry of the first. The identical XML is posted twice with the tags changed
     * in between; the member ends with the second state, each change once, and a plain retry of a contact add (a kind
     * that carries its own fact) still records nothing twice.
     */
    @Test
    void twoEditsInOneSecondAreBothReadThoughTheyLookAlike() {
        Person person = person();
        String external = person.external();
        String memberId = person.memberId();
        String vip = "et-vip-" + System.nanoTime();
        String gold = "et-gold-" + System.nanoTime();
        WECOM.corpTag(vip, "VIP", "等级");
        WECOM.corpTag(gold, "金卡", "等级");
        CallbackSender sender = sender();
        String second = now();
        String added = WeComCallbacks.contact("add_external_contact", "staff-2e", external, null, second);
        sender.send(added);
        WECOM.tagInApp(external, "staff-2e", vip);
        String edit = WeComCallbacks.contact("edit_external_contact", "staff-2e", external, null, second);
        assertThat(sender.send(edit).lastBody()).isEqualTo("success");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tagChanges(memberId))
                .containsExactly(Map.of("added", List.of("VIP"), "removed", List.of())));

        WECOM.untagInApp(external, "staff-2e", vip);
        WECOM.tagInApp(external, "staff-2e", gold);
        assertThat(sender.send(edit).lastBody()).isEqualTo("success");
        sender.send(added);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tagChanges(memberId)).containsExactly(
                Map.of("added", List.of("VIP"), "removed", List.of()),
                Map.of("added", List.of("金卡"), "removed", List.of("VIP"))));
        assertThat(kinds(memberId)).containsOnlyOnce("wecom-contact-added");

        // another reading that finds nothing new records nothing
        int reads = WECOM.contactReads();
        sender.send(edit);
        await().atMost(Duration.ofSeconds(20)).until(() -> WECOM.contactReads() > reads);
        await().atMost(Duration.ofSeconds(20)).until(() -> syncMongoClient.getDatabase(endpoint.database())
                .getCollection("wecom_work").countDocuments(Filters.regex("_id", external)) == 0);
        assertThat(tagChanges(memberId)).hasSize(2);
    }

    private List<Map<String, Object>> tagChanges(String memberId) {
        List<Map<String, Object>> changes = new ArrayList<>(entries(new Api(web).get("/api/v1/members/" + memberId
                + "/timeline")).stream().filter(entry -> "wecom-tags".equals(entry.get("kind")))
                .map(entry -> (Map<String, Object>) entry.get("data"))
                .map(data -> Map.of("added", data.get("added"), "removed", data.get("removed"))).toList());
        java.util.Collections.reverse(changes); // the timeline is newest first
        return changes;
    }

    /** A member who is (or will be) the WeCom external contact {@code external}. */
    record Person(String memberId, String external) {
    }

    private Person person() {
        String unionid = "u-facts-" + System.nanoTime();
        String external = "wm-facts-" + System.nanoTime();
        WECOM.externalContact(external, unionid);
        return new Person(new Api(web).registerWith(unionid, null), external);
    }

    private List<Object> kinds(String memberId) {
        return entries(new Api(web).get("/api/v1/members/" + memberId + "/timeline")).stream()
                .map(entry -> entry.get("kind")).toList();
    }

    private static List<Map<String, Object>> entries(Map<String, Object> timeline) {
        return (List<Map<String, Object>>) timeline.get("entries");
    }

    private Document callback(String external) {
        return syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_callbacks")
                .find(Filters.regex("xml", external)).first();
    }

    private String now() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    private String chatEvent(String chatId, String change, String detail) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
                + "<ChangeType><![CDATA[" + change + "]]></ChangeType>"
                + (detail == null ? "" : "<UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail>") + "</xml>";
    }
}
