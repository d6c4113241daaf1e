package io.siyu.engine.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The calls a Mini Program or an order system makes, for end-to-end tests. */
public final class Api {

    private static final AtomicInteger OPENIDS = new AtomicInteger();

    private final WebTestClient web;
    private final Clock clock;

    public Api(WebTestClient web) {
        this(web, TestClock.SHARED);
    }

    /** For an engine of its own whose clock is not the tests' shared one (sales are dated by the engine's clock). */
    public Api(WebTestClient web, Clock clock) {
        this.web = web;
        this.clock = clock;
    }

    public static String newOpenid() {
        return "o-test-" + System.nanoTime() + "-" + OPENIDS.incrementAndGet();
    }

    public String register() {
        return register(newOpenid());
    }

    @SuppressWarnings("unchecked")
    public String register(String openid) {
        Map<String, Object> body = web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", openid))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("memberId");
    }

    /** Registers a member with a WeChat unionid (how WeCom people are linked to members), in a store if given. */
    @SuppressWarnings("unchecked")
    public String registerWith(String unionid, String storeId) {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("openid", newOpenid(), "unionid", unionid));
        if (storeId != null) {
            request.put("storeId", storeId);
        }
        Map<String, Object> body = web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("memberId");
    }

    public WebTestClient.ResponseSpec post(String path, Object body) {
        return web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    public WebTestClient.ResponseSpec purchase(String memberId, String orderId, long amountFen) {
        return post("/api/v1/members/" + memberId + "/purchases", Map.of("orderId", orderId, "amountFen", amountFen,
                "storeId", "SH-001", "channel", "mini_program",
                "occurredAt", clock.instant().minus(Duration.ofMinutes(1)).atOffset(ZoneOffset.ofHours(8)).toString()));
    }

    /**
     * A sale's time {@code ago} before the engine's clock (which tests move forward), in Beijing time: sales dated by
     * the wall clock would be months old once a test has moved the engine's clock, and their points already expired.
     */
    public static String ago(Duration ago) {
        return TestClock.SHARED.instant().minus(ago).atOffset(ZoneOffset.ofHours(8)).toString();
    }

    public WebTestClient.ResponseSpec purchaseAt(String memberId, String orderId, long amountFen, Instant at) {
        return post("/api/v1/members/" + memberId + "/purchases", Map.of("orderId", orderId, "amountFen", amountFen,
                "storeId", "SH-001", "channel", "mini_program",
                "occurredAt", at.atOffset(ZoneOffset.ofHours(8)).toString()));
    }

    /** GETs a JSON object, expecting 200. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> get(String path) {
        return web.get().uri(path).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    /** GETs, expecting {@code status}; @return the answer's JSON (a problem, for an error) */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getExpecting(String path, int status) {
        return web.get().uri(path).exchange().expectStatus().isEqualTo(status).expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    public WebTestClient.ResponseSpec points(String memberId) {
        return web.get().uri("/api/v1/members/" + memberId + "/points").exchange();
    }
}
