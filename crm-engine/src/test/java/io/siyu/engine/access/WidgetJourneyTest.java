package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeChat;
import io.siyu.engine.support.TestClock;

/**
 * The Mini Program widget end to end, with WeChat played by the simulator through WxJava: sign in with a
 * {@code wx.login} code, read and earn as the token's own member, show a member code, and have a till use it once.
 */
@EngineTest
@ExtendWith(OutputCaptureExtension.class)
class WidgetJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    AllowedCallers callers;
    @Autowired
    TestClock clock;
    @Autowired
    AccessProperties access;

    @SuppressWarnings("unchecked")
    private Map<String, Object> login(String code) {
        return web.post().uri("/api/v1/auth/mini-program").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec as(String token, String method, String path, Object body) {
        var request = web.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static Map<String, Object> purchase(String orderId, String memberCode) {
        return Map.of("memberCode", memberCode, "orderId", orderId, "amountFen", 12_850, "storeId", "SH-001",
                "channel", "pos", "occurredAt", io.siyu.engine.support.Api.ago(java.time.Duration.ofMinutes(1)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWidgetSignsInEarnsRedeemsAndIsRecognisedAtTheTillByItsMemberCodeOnce(CapturedOutput output) {
        String openid = Api.newOpenid();
        String unionid = "u-widget-" + System.nanoTime();
        Map<String, Object> session = login(SimulatedWeChat.WECHAT.loginCode(openid, unionid));
        assertThat(session).containsEntry("tokenType", "Bearer").containsEntry("role", "member")
                .containsEntry("expiresIn", (int) access.memberTokenTtl().toSeconds())
                .doesNotContainKeys("sessionKey", "session_key", "openid");
        String token = (String) session.get("accessToken");
        String memberId = (String) session.get("memberId");

        assertThat(login(SimulatedWeChat.WECHAT.loginCode(openid, unionid)).get("memberId"))
                .as("the same openid signs in as the same member").isEqualTo(memberId);

        as(token, "GET", "/api/v1/me/points", null).expectStatus().isOk()
                .expectBody().jsonPath("$.memberId").isEqualTo(memberId).jsonPath("$.balance").isEqualTo(0);
        as(token, "POST", "/api/v1/me/check-ins", null).expectStatus().isOk()
                .expectBody().jsonPath("$.pointsEarned").isEqualTo(5).jsonPath("$.balance").isEqualTo(5);
        as(token, "GET", "/api/v1/members/" + memberId + "/tier", null).expectStatus().isOk();

        Map<String, Object> code = as(token, "GET", "/api/v1/me/member-code", null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String memberCode = (String) code.get("code");
        assertThat(memberCode).matches("\\d{18}");

        String integration = "Bearer " + callers.key(Role.INTEGRATION);
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(purchase("O-till-1", memberCode)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.memberId").isEqualTo(memberId)
                .jsonPath("$.pointsEarned").isEqualTo(128)
                .jsonPath("$.balance").isEqualTo(133)
                .jsonPath("$.duplicate").isEqualTo(false);
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(purchase("O-till-1", memberCode)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.memberId").isEqualTo(memberId)
                .jsonPath("$.duplicate").isEqualTo(true);
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(purchase("O-till-2", memberCode)).exchange()
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:member-code-used")
                .jsonPath("$.errors[0].field").isEqualTo("memberCode");

        as(token, "POST", "/api/v1/me/redemptions", Map.of("redemptionId", "R-w-1", "points", 100, "reason", "coupon"))
                .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(33);
        as(token, "GET", "/api/v1/me/points", null).expectStatus().isOk()
                .expectBody().jsonPath("$.balance").isEqualTo(33);

        // a till transaction the engine refuses (more points than the member has) frees the code for the next one
        String freed = (String) as(token, "GET", "/api/v1/me/member-code", null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("code");
        web.post().uri("/api/v1/redemptions").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("memberCode", freed, "redemptionId", "R-w-big", "points", 1_000_000, "reason", "x"))
                .exchange().expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:insufficient-points");
        web.post().uri("/api/v1/redemptions").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("memberCode", freed, "redemptionId", "R-w-small", "points", 1, "reason", "x"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(32);

        // a code past its time is refused; an unknown one too
        String late = (String) as(token, "GET", "/api/v1/me/member-code", null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("code");
        clock.advance(access.memberCodeTtl().plusSeconds(1));
        web.post().uri("/api/v1/redemptions").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("memberCode", late, "redemptionId", "R-w-2", "points", 1, "reason", "x")).exchange()
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:member-code-expired");
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(purchase("O-till-3", "660000000000000000"))
                .exchange().expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-member-code");
        // a sale dated before there were Mini Programs is a wrong date, refused before anything is written
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("memberId", memberId, "orderId", "O-till-5",
                        "amountFen", 100, "storeId", "SH-001", "channel", "pos",
                        "occurredAt", "-999999999-01-01T00:00:00Z"))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("occurredAt");
        // a till names its member exactly once
        web.post().uri("/api/v1/purchases").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("memberId", memberId, "openid", openid,
                        "orderId", "O-till-4", "amountFen", 100, "storeId", "SH-001", "channel", "pos",
                        "occurredAt", io.siyu.engine.support.Api.ago(java.time.Duration.ofMinutes(1))))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("memberCode");
        // and by unionid, as an order system that knows the WeChat user does
        web.post().uri("/api/v1/redemptions").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("unionid", unionid, "redemptionId", "R-w-3", "points", 3, "reason", "gift"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.memberId").isEqualTo(memberId).jsonPath("$.balance").isEqualTo(29);

        // an order system refunds the till order, naming the member by openid
        Map<String, Object> refunded = web.post().uri("/api/v1/refunds").header(HttpHeaders.AUTHORIZATION, integration)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("openid", openid, "orderId", "O-till-1",
                        "refundId", "F-till-1", "amountFen", 12_850)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(refunded).containsEntry("memberId", memberId).containsEntry("duplicate", false);
        assertThat(((Number) refunded.get("pointsReversed")).longValue()
                + ((Number) refunded.get("debtIncurred")).longValue()).isEqualTo(128);

        // the phone number comes from WeChat's getPhoneNumber code, never typed in
        as(token, "POST", "/api/v1/auth/mini-program/phone",
                Map.of("code", SimulatedWeChat.WECHAT.phoneCode("13812345678")))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.phoneMasked").isEqualTo("*******5678").jsonPath("$.changed").isEqualTo(true);
        // the timeline is its own projection: it catches up
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> entries = (List<Map<String, Object>>) as(token, "GET", "/api/v1/me/timeline",
                    null).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("entries");
            assertThat(entries).extracting(entry -> entry.get("kind")).contains("phone-bound", "purchase", "check-in");
            assertThat(entries.toString()).doesNotContain("13812345678");
        });
        assertThat(output.getAll()).as("each /me request went down the handler chain once")
                .doesNotContain("No static resource api/v1/me");
        assertThat(output.getAll()).as("no personal data in the log: phone, its masked form, openid, unionid")
                .doesNotContain("13812345678").doesNotContain("*******5678").doesNotContain(openid)
                .doesNotContain(unionid);
    }

    @Test
    void weChatRefusalsAreClearProblems(CapturedOutput output) {
        String openid = Api.newOpenid();
        String code = SimulatedWeChat.WECHAT.loginCode(openid, null);
        login(code);
        refused(code, 401, "invalid-wechat-code");
        refused("never-issued", 401, "invalid-wechat-code");
        SimulatedWeChat.WECHAT.fail("sns/jscode2session", 1, 45011);
        refused(SimulatedWeChat.WECHAT.loginCode(openid, null), 429, "rate-limited");
        String blocked = Api.newOpenid();
        SimulatedWeChat.WECHAT.block(blocked);
        refused(SimulatedWeChat.WECHAT.loginCode(blocked, null), 403, "wechat-high-risk-user");
        web.post().uri("/api/v1/auth/mini-program").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("code");
        assertThat(output.getAll()).as("neither the app secret nor a user's login code is logged")
                .doesNotContain(SimulatedWeChat.SECRET).doesNotContain(code).doesNotContain("never-issued");
    }

    private void refused(String code, int status, String type) {
        web.post().uri("/api/v1/auth/mini-program").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code)).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:" + type);
    }

    @Test
    void aTokenStopsWorkingWhenItExpiresOnTheEnginesClock(@Autowired Tokens tokens) {
        String memberId = new Api(web).register();
        String shortLived = tokens.issue(Role.MEMBER, memberId, "test", Duration.ofSeconds(30)).accessToken();
        as(shortLived, "GET", "/api/v1/me/points", null).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(31));
        as(shortLived, "GET", "/api/v1/me/points", null).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unauthenticated")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("expired"));
    }
}
