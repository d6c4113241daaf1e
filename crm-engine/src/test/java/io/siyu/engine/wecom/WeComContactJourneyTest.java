package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
import io.siyu.wecom.callback.CallbackCrypto;
import io.siyu.wecom.callback.CallbackLog;

/**
 * WeCom facts end to end: the simulator seals callbacks as WeCom does, the bridge logs them, links the external user
 * to the member by the unionid the simulator's {@code externalcontact/get} reports (through WxJava, refreshing an
 * expired token), and the member's timeline — read by WeCom external user id, as the sidebar does — shows each fact
 * once.
 */
@EngineTest
class WeComContactJourneyTest {

    private static final CallbackCrypto WECOM = new CallbackCrypto(EngineTest.WECOM_TOKEN, EngineTest.WECOM_KEY,
            EngineTest.WECOM_CORP);

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    @Test
    @SuppressWarnings("unchecked")
    void aContactAddedJoinsAGroupAndLeavesAndTheSidebarSeesEachOnce() {
        String unionid = "u-" + System.nanoTime();
        String external = "wm-" + System.nanoTime();
        String memberId = (String) web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId");
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        SimulatedWeCom.WECOM.expireToken();
        int tokensBefore = SimulatedWeCom.WECOM.tokensIssued();

        String added = contact("add_external_contact", external, now());
        deliver(added);
        deliver(added);
        String sidebar = "/api/v1/wecom/contacts/" + external + "/timeline";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri(sidebar).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.memberId").isEqualTo(memberId));
        assertThat(SimulatedWeCom.WECOM.tokensIssued()).as("a new token after the expired one")
                .isGreaterThan(tokensBefore);

        String chat = "wr-" + System.nanoTime();
        deliver(chat(chat, "add_member", external, "v1", "v2", now()));
        deliver(contact("del_follow_user", external, now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> entries = (List<Map<String, Object>>) new Api(web).get(sidebar + "?limit=10")
                    .get("entries");
            assertThat(entries).extracting(entry -> entry.get("kind")).containsSubsequence(
                    "wecom-contact-removed", "wecom-group-joined", "wecom-contact-added", "registered");
            assertThat(entries).extracting(entry -> entry.get("kind")).containsOnlyOnce("wecom-contact-added");
        });
        new Api(web).post("/api/v1/segments/preview", Map.of("criteria",
                        Map.of("inWeComGroup", Map.of("chatId", chat)))).expectStatus().isOk()
                .expectBody().jsonPath("$.count").isEqualTo(1);
    }

    @Test
    void aContactWithoutAMemberIsKeptUnlinked() {
        String external = "wm-stranger-" + System.nanoTime();
        deliver(contact("add_external_contact", external, now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(syncMongoClient
                .getDatabase(endpoint.database()).getCollection(CallbackLog.COLLECTION)
                .find(Filters.regex("_id", ".*\\|" + external + "\\|.*")).first())
                .isNotNull().containsEntry("outcome", "unlinked"));
        web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isNotFound();

        // the customer registers in the Mini Program later; replaying the log links the contact and records it
        String unionid = "u-late-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "unionid", unionid)).exchange()
                .expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            web.post().uri("/api/v1/admin/wecom/callbacks/replay").exchange().expectStatus().isAccepted();
            web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.entries[0].kind").isEqualTo("wecom-contact-added");
        });
    }

    private void deliver(String xml) {
        String timestamp = now();
        CallbackCrypto.Sealed sealed = WECOM.seal(xml, timestamp, "n");
        web.post().uri("/wecom/callback?msg_signature=" + sealed.msgSignature() + "&timestamp=" + timestamp
                        + "&nonce=n").contentType(MediaType.TEXT_XML)
                .bodyValue("<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><Encrypt><![CDATA["
                        + sealed.encrypted() + "]]></Encrypt></xml>")
                .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("success");
    }

    private static String contact(String change, String external, String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[" + change
                + "]]></ChangeType><UserID><![CDATA[staff-7]]></UserID><ExternalUserID><![CDATA[" + external
                + "]]></ExternalUserID><State><![CDATA[store-SH-001]]></State></xml>";
    }

    private static String chat(String chatId, String detail, String external, String last, String current,
                               String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
                + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[" + detail
                + "]]></UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>"
                + external + "</Item></MemChangeList><LastMemVer>" + last + "</LastMemVer><CurMemVer>" + current
                + "</CurMemVer></xml>";
    }

    private String now() {
        return String.valueOf(clock.instant().getEpochSecond());
    }
}
