package io.siyu.engine.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * Erasure by crypto-shredding, end to end over HTTP: a member registers with phone and nickname, buys, is adjusted with
 * a reason, consents, becomes a staff member's WeCom contact, joins a customer group and carries a tag Siyu put on
 * through a segment. After the erasure every document of every collection, read over the wire after the projections
 * were rebuilt, holds none of the person's values (phone, masked phone, nickname, openid, unionid, external user id,
 * the adjustment's reason); the balance and the store's funnel counts are what they were; WeCom took the tag off; the
 * account takes no further command; and the captured log holds none of the values.
 */
@EngineTest
@SuppressWarnings("unchecked")
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ErasureJourneyTest {

    private static final WeComSimulator WECOM = SimulatedWeCom.WECOM;

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    @Test
    void afterAnErasureNoDocumentHoldsThePersonAndTheCountsStand(
            org.springframework.boot.test.system.CapturedOutput output) {
        Api api = new Api(web, clock);
        long n = System.nanoTime();
        String store = "erase-store-" + n;
        String openid = "oErase" + n;
        String unionid = "uErase" + n;
        String external = "wmErase" + n;
        String nickname = "小抹" + n;
        String phone = "139" + String.format("%08d", n % 100_000_000);
        String masked = "*******" + phone.substring(7);
        String reason = "goodwill after complaint " + n;
        String chat = "wrErase" + n;
        String tag = "etErase" + n;

        String memberId = (String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", openid, "unionid", unionid, "phone", phone, "nickname", nickname,
                        "storeId", store))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("memberId");
        api.purchase(memberId, "O-erase-1", 12_800).expectStatus().isOk();
        api.purchase(memberId, "O-erase-1b", 3_000).expectStatus().isOk();
        // enough history for a snapshot: an erasure must still find the registration before it
        for (int i = 0; i < 30; i++) {
            api.purchase(memberId, "O-erase-h" + i, 100).expectStatus().isOk();
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                database().getCollection("snapshots").find(Filters.eq("_id", memberId)).first() != null);
        api.post("/api/v1/members/" + memberId + "/adjustments", Map.of("adjustmentId", "A-erase-1", "points", 20,
                "reason", reason)).expectStatus().isOk();
        api.post("/api/v1/members/" + memberId + "/consents", Map.of("changeId", "C-erase-1", "purpose", "marketing",
                "granted", true)).expectStatus().isOk();

        // a WeCom contact of staff-x, in a customer group, tagged through a segment bound to a tag
        WECOM.externalContact(external, unionid);
        WECOM.follow(external, "staff-x");
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", "staff-x", external, null, callbacks.now()));
        WECOM.group(chat, "v1", Map.of(external, "qr-erase"));
        callbacks.deliver(WeComCallbacks.chat(chat, "add_member", external, "v0", "v1", callbacks.now()));
        WECOM.corpTag(tag, "抹除前", "Siyu");
        String segment = "erase-seg-" + n;
        api.post("/api/v1/segments", Map.of("segmentId", segment, "name", "erase", "criteria",
                Map.of("store", Map.of("in", List.of(store))))).expectStatus().isCreated();
        web.put().uri("/api/v1/segments/" + segment + "/wecom-tag").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tagId", tag)).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(WECOM.tagsOf(external, "staff-x")).containsExactly(tag);
            Map<String, Object> timeline = api.get("/api/v1/members/" + memberId + "/timeline?limit=100");
            assertThat(entries(timeline)).extracting(entry -> entry.get("kind"))
                    .contains("wecom-contact-added", "wecom-group-joined", "points-adjusted");
        });
        // a campaign reached them: a task in WeCom, a claim, a receipt and timeline entries name them
        api.post("/api/v1/campaigns", Map.of("campaignId", "erase-campaign-" + n, "name", "抹除前活动",
                "segmentId", segment, "message", Map.of("text", "活动通知"))).expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(entries(api.get("/api/v1/members/"
                + memberId + "/timeline?limit=100"))).extracting(entry -> entry.get("kind")).contains("campaign-queued"));
        // the scan finds what it looks for: before the erasure the bridge holds the external user id; the nickname,
        // openid and phone are stored only sealed or as keyed hashes, even now
        assertThat(holders(external)).isNotEmpty();
        assertThat(holders(reason)).as("read models show the reason until the erasure").isNotEmpty();
        for (String value : List.of(nickname, openid, phone)) {
            assertThat(holders(value)).as("documents holding " + value + " in the clear").isEmpty();
        }
        Map<String, Object> export = api.get("/api/v1/members/" + memberId + "/export");
        assertThat((Map<String, Object>) export.get("profile")).containsEntry("nickname", nickname)
                .containsEntry("openid", openid);
        long balance = balance(api, memberId);
        Map<String, Object> funnel = funnel(api, store);
        assertThat(funnel.toString()).contains("stage=wecom_contact, members=1").contains("stage=wecom_group, members=1");

        // a reason that is not text is refused, and erases nothing
        web.post().uri("/api/v1/members/" + memberId + "/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":123}").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body).contains("reason"));
        assertThat(balance(api, memberId)).isEqualTo(balance);

        Map<String, Object> erased = web.post().uri("/api/v1/members/" + memberId + "/erasure")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "the member asked, call with "
                        + phone)).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(erased).containsEntry("erased", true).containsEntry("erasedNow", true)
                .containsEntry("keyDestroyed", true).containsEntry("externalUsers", 1);
        // again: nothing new
        web.post().uri("/api/v1/members/" + memberId + "/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "again")).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.erasedNow").isEqualTo(false);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(WECOM.tagsOf(external, "staff-x")).as("Siyu's tag taken off").isEmpty();
            assertThat(entries(api.get("/api/v1/members/" + memberId + "/timeline?limit=100")))
                    .extracting(entry -> entry.get("kind")).contains("erased");
            assertThat(database().getCollection("wecom_outbox").find(Filters.eq("tagId", tag)).first())
                    .as("the untagging went once sent").isNull();
        });
        for (String projection : List.of("member-timeline", "member-facts", "member-points")) {
            web.post().uri("/api/v1/admin/projections/" + projection + "/rebuild").exchange()
                    .expectStatus().isAccepted();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                    api.get("/api/v1/admin/projections/" + projection + "/rebuild")).containsEntry("state", "done"));
        }

        for (String value : List.of(phone, masked, nickname, openid, unionid, external, reason)) {
            assertThat(holders(value)).as("documents holding " + value).isEmpty();
        }
        assertThat(balance(api, memberId)).isEqualTo(balance);
        assertThat(funnel(api, store)).isEqualTo(funnel);
        Map<String, Object> after = api.get("/api/v1/members/" + memberId + "/export");
        Map<String, Object> profile = (Map<String, Object>) after.get("profile");
        assertThat(profile.get("nickname")).isNull();
        assertThat(profile.get("openid")).isNull();
        assertThat(profile.get("unionid")).isNull();
        assertThat(profile.get("phoneMasked")).isNull();
        api.purchase(memberId, "O-erase-2", 1_000).expectStatus().isEqualTo(410).expectBody()
                .jsonPath("$.type").value(type -> assertThat((String) type).endsWith("member-erased"));
        // nothing of the person was logged along the way
        for (String value : List.of(phone, masked, nickname, openid, unionid, external, reason)) {
            assertThat(output.getAll()).as("the log").doesNotContain(value);
        }
        // the openid finds no member any more; the person signs up again later, with the same openid and unionid:
        // a new member, not the erased one
        web.get().uri("/api/v1/members/by-openid/" + openid).exchange().expectStatus().isNotFound();
        assertThat(web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", openid, "unionid", unionid)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("memberId")).isNotEqualTo(memberId);
    }

    /** The store's funnel without the moment it was asked. */
    private static Map<String, Object> funnel(Api api, String store) {
        Map<String, Object> funnel = new java.util.TreeMap<>(api.get("/api/v1/funnels/private-domain?store=" + store));
        funnel.remove("asOf");
        return funnel;
    }

    private MongoDatabase database() {
        return syncMongoClient.getDatabase(endpoint.database());
    }

    private static List<Map<String, Object>> entries(Map<String, Object> timeline) {
        return (List<Map<String, Object>>) timeline.get("entries");
    }

    private static long balance(Api api, String memberId) {
        return ((Number) api.get("/api/v1/members/" + memberId + "/points").get("balance")).longValue();
    }

    /** Every document of every collection (keys, strings and binaries, gzip opened) that holds {@code value}. */
    private List<String> holders(String value) {
        List<String> found = new ArrayList<>();
        for (String name : database().listCollectionNames()) {
            for (Document document : database().getCollection(name).find()) {
                StringBuilder text = new StringBuilder();
                flatten(document, text);
                if (text.indexOf(value) >= 0) {
                    found.add(name + "/" + document.get("_id"));
                }
            }
        }
        return found;
    }

    private static void flatten(Object value, StringBuilder text) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> {
                text.append(key).append('\n');
                flatten(inner, text);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(inner -> flatten(inner, text));
        } else if (value instanceof Binary binary) {
            text.append(new String(opened(binary.getData()), StandardCharsets.UTF_8)).append('\n');
        } else if (value != null) {
            text.append(value).append('\n');
        }
    }

    private static byte[] opened(byte[] data) {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
            return data;
        }
        try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return zip.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
