package io.siyu.engine.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComContactRemoved;
import io.siyu.api.wecom.WeComRemoval;
import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * The timeline reads in the order things happened, not the order Siyu heard of them: a till batch's sales of last
 * week, WeCom history that arrives late or out of order. A backdated fact is inserted where it belongs (pages
 * rewritten), a reader paging with {@code nextBefore} meanwhile neither skips nor repeats an entry, and a rewrite
 * cut short between its page writes and its head (the store takes only the newest pages, then refuses the head) is
 * repaired when the batch is delivered again.
 */
@EngineTest
@TestPropertySource(properties = "siyu.test.engine=timeline-fact-order")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TimelineFactOrderTest {

    /** Member whose timeline page rewrite the store cuts short (null: none), and whether it did. */
    static final AtomicReference<String> CUT_SHORT = new AtomicReference<>();
    static final AtomicBoolean CUT = new AtomicBoolean();
    static final AtomicInteger HEADS_REFUSED = new AtomicInteger();

    static final EmbeddedMongo STORE = EmbeddedMongo.inMemory("127.0.0.1", 0, (database, command, body) -> {
        String member = CUT_SHORT.get();
        if (member == null || !"update".equals(command)) {
            return;
        }
        if ("timeline_pages".equals(body.get(command)) && String.valueOf(body).contains(member + "#0")
                && body.get("updates") instanceof List<?> updates && updates.size() > 1 && CUT.compareAndSet(false,
                true)) {
            // only the newest page lands, as if the process died during the rewrite
            updates.subList(1, updates.size()).clear();
        } else if ("timeline_heads".equals(body.get(command)) && CUT.get() && HEADS_REFUSED.get() < 3
                && !String.valueOf(body).contains("repair") && String.valueOf(body).contains(member)) {
            HEADS_REFUSED.incrementAndGet();
            throw new MongoServerError(10107, "NotWritablePrimary", "not primary");
        }
    });

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry properties) {
        properties.add("siyu.mongodb.uri", STORE::connectionString);
        properties.add("siyu.access.signing-key", () -> "dGltZWxpbmUtdGVzdC1zaWduaW5nLWtleS0zMi1ieXRlcyE=");
        properties.add("siyu.access.credential-key", () -> "dGltZWxpbmUtdGVzdC1jcmVkZW50aWFsLWtleS0zMi1ieXQ=");
        properties.add("siyu.privacy.phone-hash-key", () -> "dGltZWxpbmUtdGVzdC1waG9uZS1rZXktMzItYnl0ZXMhIQ==");
        properties.add("siyu.privacy.master-key", () -> "timeline-1:" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]));
    }

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;

    @AfterEach
    void storeTakesWritesWhole() {
        CUT_SHORT.set(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void backdatedFactsTakeTheirPlaceAndAReaderPagingMeanwhileNeitherSkipsNorRepeats() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        String member = "/api/v1/members/" + memberId;
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < 40; i++) {
            api.purchaseAt(memberId, "O-" + i, 1_000 + i, now.minusSeconds(400 - i)).expectStatus().isOk();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> total(member) == 81);
        // a reader takes the newest page, then a week-old sale and WeCom history from last month arrive
        Map<String, Object> first = api.get(member + "/timeline?limit=10");
        List<Map<String, Object>> seen = new ArrayList<>(entries(first));
        api.purchaseAt(memberId, "O-last-week", 5_000, now.minus(Duration.ofDays(7))).expectStatus().isOk();
        commands.sendAndWait(new RecordWeComContactRemoved(memberId, "cb-del-1", "staff-7", "wm-" + memberId,
                WeComRemoval.STAFF_REMOVED_CUSTOMER, now.minus(Duration.ofDays(20))));
        commands.sendAndWait(new RecordWeComContactAdded(memberId, "cb-add-1", "staff-7", "wm-" + memberId,
                "store-SH-009", now.minus(Duration.ofDays(30))));
        await().atMost(Duration.ofSeconds(20)).until(() -> total(member) == 85);
        Object before = first.get("nextBefore");
        while (before != null) {
            Map<String, Object> page = api.get(member + "/timeline?limit=10&before=" + before);
            seen.addAll(entries(page));
            before = page.get("nextBefore");
        }
        // the reader saw the backdated facts in their place on later pages, and every other entry exactly once; only
        // the points the old sale earned just now are newer than its first page
        assertThat(seen).extracting(entry -> entry.get("kind")).hasSize(84);
        assertThat(seen).extracting(entry -> (String) entry.get("kind") + entry.get("data"))
                .doesNotHaveDuplicates();
        assertThat(seen).extracting(entry -> Instant.parse((String) entry.get("at")))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(seen.subList(seen.size() - 3, seen.size())).extracting(entry -> entry.get("kind"))
                .containsExactly("purchase", "wecom-contact-removed", "wecom-contact-added");
        Map<String, Object> lastWeek = seen.get(seen.size() - 3);
        assertThat(Instant.parse((String) lastWeek.get("at"))).isEqualTo(now.minus(Duration.ofDays(7)));
        assertThat(Instant.parse((String) lastWeek.get("recordedAt"))).as("recorded now, beside when it happened")
                .isAfterOrEqualTo(now);
        // read again from the top: numbered 0 (oldest) … 84 in the order shown
        List<Map<String, Object>> again = walk(api, member);
        assertThat(again.get(0)).containsEntry("kind", "points-earned");
        assertThat((Map<String, Object>) again.get(0).get("data")).containsEntry("sourceId", "O-last-week");
        assertThat(again).extracting(entry -> ((Number) entry.get("n")).intValue())
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(84, n -> n >= 0, n -> n - 1)
                        .boxed().toList());
    }

    @Test
    void aRewriteCutShortBetweenItsPagesAndItsHeadIsRepairedWhenTheBatchComesAgain() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        String member = "/api/v1/members/" + memberId;
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < 60; i++) {
            api.purchaseAt(memberId, "O-" + i, 1_000 + i, now.minusSeconds(400 - i)).expectStatus().isOk();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> total(member) == 121);
        CUT_SHORT.set(memberId);
        api.purchaseAt(memberId, "O-long-ago", 7_000, now.minus(Duration.ofDays(60))).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> total(member) == 123);
        assertThat(CUT).as("the rewrite was cut short").isTrue();
        assertThat(HEADS_REFUSED).as("and its head refused until the batch came again").hasValueGreaterThan(0);
        List<Map<String, Object>> all = walk(api, member);
        assertThat(all).hasSize(123);
        assertThat(all).extracting(entry -> (String) entry.get("kind") + entry.get("data")).doesNotHaveDuplicates();
        assertThat(all).extracting(entry -> Instant.parse((String) entry.get("at")))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(all.get(all.size() - 1)).containsEntry("kind", "purchase");
        assertThat(all.stream().filter(entry -> "purchase".equals(entry.get("kind")))
                .map(entry -> (Object) ((Map<?, ?>) entry.get("data")).get("orderId")).toList())
                .hasSize(61).endsWith("O-long-ago").doesNotHaveDuplicates();
        assertThat(Set.copyOf(all.stream().map(entry -> ((Number) entry.get("n")).intValue()).toList()))
                .hasSize(123);
    }

    @Test
    void aCursorThatIsNotOneIsRefusedNamingTheField() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        web.get().uri("/api/v1/members/" + memberId + "/timeline?before=12").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("before");
    }

    private int total(String member) {
        return ((Number) new Api(web, clock).get(member + "/timeline?limit=1").get("total")).intValue();
    }

    private static List<Map<String, Object>> walk(Api api, String member) {
        List<Map<String, Object>> all = new ArrayList<>();
        Object before = null;
        do {
            Map<String, Object> page = api.get(member + "/timeline?limit=7" + (before == null ? "" : "&before="
                    + before));
            all.addAll(entries(page));
            before = page.get("nextBefore");
        } while (before != null);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("entries");
    }
}
