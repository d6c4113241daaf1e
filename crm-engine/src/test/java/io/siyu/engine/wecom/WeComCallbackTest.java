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
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.callback.CallbackCrypto;
import io.siyu.wecom.callback.CallbackLog;

/**
 * WeCom's callbacks over HTTP, sealed exactly as WeCom seals them: the URL check, events logged once under their dedupe
 * key however often WeCom retries, and every kind of forged or broken callback refused with nothing logged.
 */
@EngineTest
class WeComCallbackTest {

    private static final CallbackCrypto WECOM = WeComCallbacks.WECOM;

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
            answers.add(CompletableFuture.supplyAsync(() -> post(xml, "n-" + Math.random())
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()));
        }
        assertThat(answers.stream().map(CompletableFuture::join)).containsOnly("success");
        assertThat(logged(Filters.regex("_id", ".*\\|" + user + "\\|.*"))).isEqualTo(1);
    }

    @Test
    void twoDifferentGroupUpdatesInTheSameSecondBothCount() {
        String chat = "wr-" + System.nanoTime();
        String second = now();
        post(chatUpdate(chat, "add_member", "v1", "v2", second), "n-a").expectStatus().isOk();
        post(chatUpdate(chat, "add_member", "v2", "v3", second), "n-b").expectStatus().isOk();
        post(chatUpdate(chat, "add_member", "v2", "v3", second), "n-c").expectStatus().isOk();
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

    /**
     * Every numeric field of the protocol is untrusted: the query's timestamp (on the URL check and on events), the
     * plaintext's length field, {@code CreateTime}, {@code MemChangeCnt}, {@code JoinScene} / {@code QuitScene} and
     * the member versions. Boundary values and random ones (jqwik's generators) are refused with the documented
     * problem or taken as WeCom's, never answered with a 5xx.
     */
    @Test
    void everyNumericFieldIsUntrustedAndNoValueIsA5xx() {
        List<String> values = new ArrayList<>(List.of("31556889864403200", "-31557014167219201",
                "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999999",
                "0", "-0", "-1", "1", "", " ", "+5", "1e5", "0x10", "12.5", "２０２６", "253402300799", "253402300800",
                String.valueOf(Integer.MAX_VALUE), String.valueOf(Integer.MIN_VALUE), "4294967296"));
        net.jqwik.api.Arbitraries.longs().sampleStream().limit(40).forEach(value -> values.add(String.valueOf(value)));
        net.jqwik.api.Arbitraries.strings().numeric().ofMaxLength(30).sampleStream().limit(20).forEach(values::add);
        String user = "wm-numbers-" + System.nanoTime();
        for (String value : values) {
            String query = java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
            web.get().uri("/wecom/callback?msg_signature=s&timestamp=" + query + "&nonce=n&echostr=e").exchange()
                    .expectStatus().value(status -> assertThat(status).as("GET timestamp %s", value).isIn(400, 403));
            CallbackCrypto.Sealed sealed = WECOM.seal(contactAdded(user, now()), now(), "n-t");
            web.post().uri("/wecom/callback?msg_signature=" + sealed.msgSignature() + "&timestamp=" + query
                            + "&nonce=n-t").contentType(MediaType.TEXT_XML).bodyValue(envelope(sealed.encrypted()))
                    .exchange().expectStatus().value(status -> assertThat(status).as("POST timestamp %s", value)
                            .isIn(400, 403));
            post(contactAdded(user + "-c", value), "n-c").expectStatus().value(status ->
                    assertThat(status).as("CreateTime %s", value).isIn(200, 400));
            for (String field : List.of("MemChangeCnt", "JoinScene", "QuitScene", "LastMemVer")) {
                String xml = chatUpdate("wr-numbers", "add_member", "v1", "v2", now())
                        .replace("</xml>", "<" + field + ">" + value + "</" + field + "></xml>");
                post(xml, "n-f").expectStatus().value(status -> assertThat(status).as("%s %s", field, value)
                        .isIn(200, 400));
            }
        }
        for (int length : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 19, 1 << 20, 0}) {
            String timestamp = now();
            String encrypted = sealWithLength(contactAdded(user, timestamp), length);
            String signature = me.chanjar.weixin.common.util.crypto.SHA1.gen(EngineTest.WECOM_TOKEN, timestamp,
                    "n-l", encrypted);
            web.post().uri("/wecom/callback?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=n-l")
                    .contentType(MediaType.TEXT_XML).bodyValue(envelope(encrypted)).exchange()
                    .expectStatus().value(status -> assertThat(status).as("length field %d", length).isIn(400, 403));
        }
        // empty parts (no signature needed to reach them) and an event that names nobody: refused, not 500
        String timestamp = now();
        web.post().uri("/wecom/callback?msg_signature=x&timestamp=" + timestamp + "&nonce=1")
                .contentType(MediaType.TEXT_XML).bodyValue("<xml><Encrypt></Encrypt></xml>").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.reason").isEqualTo("malformed");
        web.get().uri("/wecom/callback?msg_signature=x&timestamp=" + timestamp + "&nonce=1&echostr=").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.reason").isEqualTo("malformed");
        web.post().uri("/wecom/callback?msg_signature=x&timestamp=" + timestamp + "&nonce=")
                .contentType(MediaType.TEXT_XML).bodyValue("<xml><Encrypt>abc</Encrypt></xml>").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.reason").isEqualTo("malformed");
        post(chatUpdate("wr-x", "add_member", "v1", "v2", now()).replaceAll("<ChatId>.*?</ChatId>", ""), "n-chat")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("ChatId"));
        // the two: far outside an Instant's range, refused as stale (403), not 500
        for (String far : List.of("31556889864403200", "-31557014167219201")) {
            web.get().uri("/wecom/callback?msg_signature=s&timestamp=" + far + "&nonce=n&echostr=e").exchange()
                    .expectStatus().isForbidden().expectBody().jsonPath("$.reason").isEqualTo("stale");
        }
        post(contactAdded(user, "253402300800"), "n-x").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.reason").isEqualTo("malformed")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("CreateTime"));
        assertThat(logged(Filters.regex("_id", ".*" + user + "\\|.*"))).isZero();
    }

    /** A plaintext sealed with a length field of our choosing (WeCom's layout otherwise), so the field can lie. */
    private static String sealWithLength(String xml, int length) {
        try {
            byte[] key = java.util.Base64.getDecoder().decode(EngineTest.WECOM_KEY + "=");
            byte[] message = xml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] corp = EngineTest.WECOM_CORP.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int unpadded = 16 + 4 + message.length + corp.length;
            int padding = 32 - unpadded % 32;
            java.nio.ByteBuffer plain = java.nio.ByteBuffer.allocate(unpadded + padding);
            plain.put("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(length)
                    .put(message).put(corp);
            while (plain.hasRemaining()) {
                plain.put((byte) padding);
            }
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                    new javax.crypto.spec.IvParameterSpec(key, 0, 16));
            return java.util.Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void refused(String body, String signature, String timestamp, String nonce, int status, String reason) {
        WebTestClient.BodyContentSpec answer = web.post().uri("/wecom/callback?msg_signature=" + signature
                        + "&timestamp=" + timestamp + "&nonce=" + nonce).contentType(MediaType.TEXT_XML)
                .bodyValue(body).exchange().expectStatus().isEqualTo(status).expectBody();
        if (reason != null) {
            answer.jsonPath("$.reason").isEqualTo(reason);
        }
    }

    private WebTestClient.ResponseSpec post(String xml, String nonce) {
        return new WeComCallbacks(web, clock).post(xml, nonce);
    }

    private static String envelope(String encrypted) {
        return WeComCallbacks.envelope(encrypted);
    }

    private static String contactAdded(String externalUserId, String createTime) {
        return WeComCallbacks.contact("add_external_contact", "staff-7", externalUserId, "store-SH-001", createTime);
    }

    private static String chatUpdate(String chatId, String detail, String lastVersion, String version,
                                     String createTime) {
        return WeComCallbacks.chat(chatId, detail, "wm-x", lastVersion, version, createTime);
    }

    private String now() {
        return new WeComCallbacks(web, clock).now();
    }

    private long logged(org.bson.conversions.Bson filter) {
        return syncMongoClient.getDatabase(endpoint.database()).getCollection(CallbackLog.COLLECTION)
                .countDocuments(filter);
    }


}
