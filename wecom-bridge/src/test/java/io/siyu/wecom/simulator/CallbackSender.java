package io.siyu.wecom.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.siyu.wecom.callback.CallbackCrypto;

/**
 * WeCom's callback side: seals an event as WeCom does (AES, receive id, SHA1 signature over token, timestamp, nonce
 * and ciphertext), posts it to the callback URL, and sends the very same request again when the answer is not a 200
 * within 5 s — three retries at most, as WeCom does. A test can make the next answers count as lost (WeCom gave up
 * waiting although the bridge got the request), which is how duplicates reach the bridge in production.
 */
public final class CallbackSender {

    /** How long WeCom waits for an answer. */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    /** WeCom tries once and retries three times. */
    public static final int ATTEMPTS = 4;

    private final CallbackCrypto crypto;
    private final String corpId;
    private final URI callbackUrl;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    private final AtomicLong nonces = new AtomicLong(System.nanoTime());

    public CallbackSender(CallbackCrypto crypto, String corpId, URI callbackUrl, Clock clock) {
        this.crypto = crypto;
        this.corpId = corpId;
        this.callbackUrl = callbackUrl;
        this.clock = clock;
    }

    /** What became of one event: how many requests it took and what the last answer was. */
    public record Delivery(int requests, int lastStatus, String lastBody) {

        public boolean delivered() {
            return lastStatus == 200;
        }
    }

    /** The next {@code times} answers are lost on the way back: WeCom sends the request again. */
    public void loseAnswers(int times) {
        lostAnswers.addAndGet(times);
    }

    /** Sends one event, retrying like WeCom until it is answered 200 or the retries are spent. */
    public Delivery send(String xml) {
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        String nonce = Long.toString(nonces.incrementAndGet(), 36);
        CallbackCrypto.Sealed sealed = crypto.seal(xml, timestamp, nonce);
        HttpRequest request = HttpRequest.newBuilder(URI.create(callbackUrl + "?msg_signature="
                        + sealed.msgSignature() + "&timestamp=" + timestamp + "&nonce=" + nonce))
                .timeout(ANSWER_WITHIN)
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<xml><ToUserName><![CDATA[" + corpId
                        + "]]></ToUserName><Encrypt><![CDATA[" + sealed.encrypted()
                        + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"))
                .build();
        Delivery last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            last = attempt(request, attempt);
            if (last.delivered() && !lose()) {
                return last;
            }
        }
        return last;
    }

    private boolean lose() {
        return lostAnswers.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    private Delivery attempt(HttpRequest request, int attempt) {
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Delivery(attempt, answer.statusCode(), answer.body());
        } catch (HttpTimeoutException late) {
            return new Delivery(attempt, 0, "no answer within 5 s");
        } catch (IOException unreachable) {
            return new Delivery(attempt, 0, unreachable.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Delivery(attempt, 0, "interrupted");
        }
    }
}
