package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;
import io.siyu.wecom.callback.CallbackCrypto;
import io.siyu.wecom.callback.CallbackLog;

/**
 * WeCom's callbacks over HTTP, sealed exactly as WeCom seals them: the URL check, events logged once under their dedupe
 * key however often WeCom retries, and every kind of forged or broken callback refused with nothing logged.
 */
@EngineTest
class WeComCallbackTest {

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
    void theUrlCheckAnswersThePlaintextAlone() {
        String timestamp = now();
        CallbackCrypto.Sealed echo = WECOM.seal("4318637218437217897", timestamp, "n-echo");
        String answer = web.get().uri(uri -> uri.path("/wecom/callback").queryParam("msg_signature",
                                echo.msgSignature()).queryParam("timestamp", timestamp).queryParam("nonce", "n-echo")
                        .queryParam("echostr", "{e}").build(echo.encrypted()))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(answer).isEqualTo("4318637218437217897");
    }

    @Test
    void aCallbackDeliveredThreeTimesAtOnceIsLoggedOnce() {
        String user = "wm-" + System.nanoTime();
        String xml = contactAdded(user, now());
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> post(xml, now(), "n-" + Math.random())
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()));
        }
        assertThat(answers.stream().map(CompletableFuture::join)).containsOnly("success");
        assertThat(logged(Filters.regex("_id", ".*\\|" + user + "\\|.*"))).isEqualTo(1);
    }

    @Test
    void twoDifferentGroupUpdatesInTheSameSecondBothCount() {
        String chat = "wr-" + System.nanoTime();
        String second = now();
        post(chatUpdate(chat, "add_member", "v1", "v2", second), now(), "n-a").expectStatus().isOk();
        post(chatUpdate(chat, "add_member", "v2", "v3", second), now(), "n-b").expectStatus().isOk();
        post(chatUpdate(chat, "add_member", "v2", "v3", second), now(), "n-c").expectStatus().isOk();
        assertThat(logged(Filters.regex("_id", ".*\\|" + chat + "\\|.*"))).isEqualTo(2);
    }

    @Test
    void forgedStaleMisaddressedAndBrokenCallbacksAreRefusedAndNothingIsLogged() {
        String user = "wm-refused-" + System.nanoTime();
        String timestamp = now();
        CallbackCrypto.Sealed sealed = WECOM.seal(contactAdded(user, timestamp), timestamp, "n-1");
        refused(envelope(sealed.encrypted()), "0".repeat(40), timestamp, "n-1", 403, "signature");
        String stale = String.valueOf(clock.instant().getEpochSecond() - 3_600);
        CallbackCrypto.Sealed old = WECOM.seal(contactAdded(user, stale), stale, "n-2");
        refused(envelope(old.encrypted()), old.msgSignature(), stale, "n-2", 403, "stale");
        CallbackCrypto.Sealed elsewhere = new CallbackCrypto(EngineTest.WECOM_TOKEN, EngineTest.WECOM_KEY,
                "ww-another-corp").seal(contactAdded(user, timestamp), timestamp, "n-3");
        refused(envelope(elsewhere.encrypted()), elsewhere.msgSignature(), timestamp, "n-3", 403, "receive-id");
        CallbackCrypto.Sealed wrongKey = new CallbackCrypto(EngineTest.WECOM_TOKEN,
                "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut", EngineTest.WECOM_CORP)
                .seal(contactAdded(user, timestamp), timestamp, "n-4");
        refused(envelope(wrongKey.encrypted()), wrongKey.msgSignature(), timestamp, "n-4", 400, "malformed");
        CallbackCrypto.Sealed notXml = WECOM.seal("<xml><Event>oops", timestamp, "n-5");
        refused(envelope(notXml.encrypted()), notXml.msgSignature(), timestamp, "n-5", 400, "malformed");
        refused("<xml><Encrypt>" + "A".repeat(70_000) + "</Encrypt></xml>", sealed.msgSignature(), timestamp, "n-6",
                413, null);
        assertThat(logged(Filters.regex("_id", ".*" + user + ".*"))).isZero();
    }

    private void refused(String body, String signature, String timestamp, String nonce, int status, String reason) {
        WebTestClient.BodyContentSpec answer = web.post().uri("/wecom/callback?msg_signature=" + signature
                        + "&timestamp=" + timestamp + "&nonce=" + nonce).contentType(MediaType.TEXT_XML)
                .bodyValue(body).exchange().expectStatus().isEqualTo(status).expectBody();
        if (reason != null) {
            answer.jsonPath("$.reason").isEqualTo(reason);
        }
    }

    private WebTestClient.ResponseSpec post(String xml, String timestamp, String nonce) {
        CallbackCrypto.Sealed sealed = WECOM.seal(xml, timestamp, nonce);
        return web.post().uri("/wecom/callback?msg_signature=" + sealed.msgSignature() + "&timestamp=" + timestamp
                        + "&nonce=" + nonce).contentType(MediaType.TEXT_XML)
                .bodyValue(envelope(sealed.encrypted())).exchange();
    }

    private static String envelope(String encrypted) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><Encrypt><![CDATA["
                + encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    }

    private static String contactAdded(String externalUserId, String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]>"
                + "</ChangeType><UserID><![CDATA[staff-7]]></UserID><ExternalUserID><![CDATA[" + externalUserId
                + "]]></ExternalUserID><State><![CDATA[store-SH-001]]></State><WelcomeCode><![CDATA[WC-1]]>"
                + "</WelcomeCode></xml>";
    }

    private static String chatUpdate(String chatId, String detail, String lastVersion, String version,
                                     String createTime) {
        return "<xml><ToUserName><![CDATA[" + EngineTest.WECOM_CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
                + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail>"
                + "<JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>wm-x</Item>"
                + "</MemChangeList><LastMemVer>" + lastVersion + "</LastMemVer><CurMemVer>" + version
                + "</CurMemVer></xml>";
    }

    private String now() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    private long logged(org.bson.conversions.Bson filter) {
        return syncMongoClient.getDatabase(endpoint.database()).getCollection(CallbackLog.COLLECTION)
                .countDocuments(filter);
    }


}
