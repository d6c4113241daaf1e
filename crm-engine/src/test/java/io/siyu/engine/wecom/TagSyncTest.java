package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * A segment bound to a WeCom tag: its members carry the tag on every staff member's contact entry of them, put on as
 * they enter (or become a contact) and taken off as they leave or when the segment is unbound — each change sent
 * once, and all of it sent after WeCom was unreachable, limited and had expired the token for a while.
 */
@EngineTest
class TagSyncTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    /** A member of {@code store} who is the WeCom contact {@code external} of each of {@code staff}. */
    record Contact(String memberId, String external) {
    }

    @Test
    void membersAreTaggedAsTheyEnterAndUntaggedAsTheyLeaveOncePerStaffContact() {
        String store = "tag-store-" + System.nanoTime();
        String tag = "et-vip-" + System.nanoTime();
        WECOM.corpTag(tag, "营销同意", "Siyu");
        Contact consenting = contact(store, "staff-a", "staff-b");
        Contact later = contact(store, "staff-a");
        Contact never = contact(store, "staff-a");
        consent(consenting, "c1", true);
        String segment = saveSegment(store);

        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", tag, "actor", "marketer-1")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tagName").isEqualTo("营销同意").jsonPath("$.changed").isEqualTo(true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(WECOM.tagsOf(consenting.external(), "staff-a")).containsExactly(tag);
            assertThat(WECOM.tagsOf(consenting.external(), "staff-b")).containsExactly(tag);
        });
        assertThat(WECOM.tagsOf(later.external(), "staff-a")).isEmpty();

        consent(later, "c2", true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(WECOM.tagsOf(later.external(), "staff-a")).containsExactly(tag));
        // a new contact of a member already in the segment is tagged too
        becomeContact(later, "staff-c");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(WECOM.tagsOf(later.external(), "staff-c")).containsExactly(tag));

        consent(consenting, "c3", false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(WECOM.tagsOf(consenting.external(), "staff-a")).isEmpty();
            assertThat(WECOM.tagsOf(consenting.external(), "staff-b")).isEmpty();
        });
        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", tag)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.changed").isEqualTo(false);
        web.get().uri("/api/v1/segments/" + segment).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.weComTagId").isEqualTo(tag);

        web.delete().uri("/api/v1/segments/" + segment + "/wecom-tag").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.changed").isEqualTo(true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(WECOM.tagsOf(later.external(), "staff-a")).isEmpty();
            assertThat(WECOM.tagsOf(later.external(), "staff-c")).isEmpty();
        });

        // each transition reached WeCom once: on and off
        assertThat(WECOM.tagChanges(tag, "staff-a", consenting.external())).isEqualTo(2);
        assertThat(WECOM.tagChanges(tag, "staff-b", consenting.external())).isEqualTo(2);
        assertThat(WECOM.tagChanges(tag, "staff-a", later.external())).isEqualTo(2);
        assertThat(WECOM.tagChanges(tag, "staff-c", later.external())).isEqualTo(2);
        assertThat(WECOM.tagChanges(tag, "staff-a", never.external())).isZero();
    }

    @Test
    void tagWorkWaitsOutAnUnreachableLimitedWeComAndCompletesOnceEach() {
        String store = "tag-down-store-" + System.nanoTime();
        String tag = "et-down-" + System.nanoTime();
        WECOM.corpTag(tag, "复购", "Siyu");
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Contact contact = contact(store, "staff-d");
            consent(contact, "d" + i, true);
            contacts.add(contact);
        }
        String segment = saveSegment(store);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/v1/segments/" + segment)
                .exchange().expectBody().jsonPath("$.recorded").isEqualTo(12));
        bind(saveSegment(store + "-other"), tag); // the tag is known before WeCom goes down
        WECOM.down(true);
        try {
            bind(segment, tag);
            consent(contacts.get(0), "d-again", true); // no change: no extra tag work
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(outbox(tag))
                    .hasSize(12).allSatisfy(entry -> {
                        assertThat(entry.getString("status")).isEqualTo("pending");
                        assertThat(entry.getInteger("attempts")).isGreaterThanOrEqualTo(1);
                        assertThat(entry.getString("lastError")).isNotBlank();
                    }));
        } finally {
            WECOM.expireToken();
            WECOM.fail("externalcontact/mark_tag", 20, 45009);
            WECOM.down(false);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(outbox(tag))
                .allSatisfy(entry -> assertThat(entry.getString("status")).isEqualTo("sent")));
        for (Contact contact : contacts) {
            assertThat(WECOM.tagsOf(contact.external(), "staff-d")).containsExactly(tag);
            assertThat(WECOM.tagChanges(tag, "staff-d", contact.external())).isEqualTo(1);
        }
        web.get().uri("/api/v1/admin/wecom/outbox").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.entries[?(@.kind == 'tag' && @.status == 'sent')].entries").exists();
    }

    /**
     * Tags select people for marketing, so tag sync follows the member's consent to it: a member who never gave it is
     * not tagged (the queued tagging is withheld when its turn comes), a withdrawal while tagging waits in the queue
     * stops it, and a consent given later puts the tag on.
     */
    @Test
    void taggingFollowsMarketingConsentAndQueuedTaggingStopsWhenItIsWithdrawn() {
        String store = "tag-consent-store-" + System.nanoTime();
        String tag = "et-consent-" + System.nanoTime();
        WECOM.corpTag(tag, "全部会员", "Siyu");
        Contact quiet = contact(store, "staff-q");
        Contact withdrawing = contact(store, "staff-q");
        consent(withdrawing, "w1", true);
        String segment = "everyone-" + System.nanoTime();
        new Api(web).post("/api/v1/segments", Map.of("segmentId", segment, "name", "门店全部会员", "criteria",
                Map.of("store", Map.of("in", List.of(store))))).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/v1/segments/" + segment)
                .exchange().expectBody().jsonPath("$.recorded").isEqualTo(2));
        bind(saveSegment(store + "-other"), tag); // the tag is known before WeCom goes down
        WECOM.down(true);
        try {
            bind(segment, tag);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(outbox(tag)).hasSize(2)
                    .allSatisfy(entry -> assertThat(entry.getInteger("attempts")).isGreaterThanOrEqualTo(1)));
            // withdrawn while the tagging waits for WeCom
            consent(withdrawing, "w2", false);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(outbox(tag))
                    .filteredOn(entry -> withdrawing.external().equals(entry.getString("externalUserId")))
                    .singleElement().satisfies(entry -> assertThat(entry.getBoolean("tagged")).isFalse()));
        } finally {
            WECOM.down(false);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(outbox(tag)).filteredOn(entry -> quiet.external().equals(entry.getString("externalUserId")))
                    .singleElement().satisfies(entry -> {
                        assertThat(entry.getString("status")).isEqualTo("withheld");
                        assertThat(entry.getString("lastError")).isEqualTo("no marketing consent");
                    });
            assertThat(outbox(tag)).filteredOn(entry -> withdrawing.external().equals(
                    entry.getString("externalUserId"))).singleElement().satisfies(entry ->
                    assertThat(entry.getString("status")).isEqualTo("sent"));
        });
        assertThat(WECOM.tagsOf(quiet.external(), "staff-q")).isEmpty();
        assertThat(WECOM.tagChanges(tag, "staff-q", quiet.external())).isZero();
        assertThat(WECOM.tagsOf(withdrawing.external(), "staff-q")).isEmpty();

        consent(quiet, "q1", true);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(WECOM.tagsOf(quiet.external(), "staff-q")).containsExactly(tag));
    }

    @Test
    void bindingNeedsASavedSegmentAndATagWeComHas() {
        String store = "tag-bad-store-" + System.nanoTime();
        String segment = saveSegment(store);
        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", "et-nobody-has-this")).exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("tagId");
        web.put().uri("/api/v1/segments/no-such-segment/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", "et-x")).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-segment");
        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isBadRequest();
        web.delete().uri("/api/v1/segments/" + segment + "/wecom-tag").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.changed").isEqualTo(false);
    }

    private void bind(String segment, String tag) {
        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", tag)).exchange().expectStatus().isOk();
    }

    private String saveSegment(String store) {
        String segment = "consenting-" + System.nanoTime();
        new Api(web).post("/api/v1/segments", Map.of("segmentId", segment, "name", "同意营销的会员", "criteria",
                Map.of("and", List.of(Map.of("store", Map.of("in", List.of(store))),
                        Map.of("consent", Map.of("purpose", "marketing")))))).expectStatus().isCreated();
        return segment;
    }

    private Contact contact(String store, String... staff) {
        String unionid = "u-tag-" + System.nanoTime();
        String external = "wm-tag-" + System.nanoTime();
        String member = new Api(web).registerWith(unionid, store);
        WECOM.externalContact(external, unionid);
        Contact contact = new Contact(member, external);
        for (String staffUserId : staff) {
            becomeContact(contact, staffUserId);
        }
        return contact;
    }

    private void becomeContact(Contact contact, String staffUserId) {
        WECOM.follow(contact.external(), staffUserId);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", staffUserId, contact.external(), null,
                callbacks.now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            org.bson.Document member = syncMongoClient.getDatabase(endpoint.database())
                    .getCollection("wecom_tag_members").find(Filters.eq("_id", contact.memberId())).first();
            assertThat(member).isNotNull();
            assertThat(member.getList("contacts", org.bson.Document.class)).anySatisfy(entry ->
                    assertThat(entry.getString("staffUserId")).isEqualTo(staffUserId));
        });
    }

    private void consent(Contact contact, String changeId, boolean granted) {
        new Api(web).post("/api/v1/members/" + contact.memberId() + "/consents", Map.of("changeId",
                changeId + "-" + contact.memberId(), "purpose", "marketing", "granted", granted))
                .expectStatus().isOk();
    }

    private List<org.bson.Document> outbox(String tag) {
        return syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_outbox")
                .find(Filters.eq("tagId", tag)).into(new ArrayList<>());
    }
}
