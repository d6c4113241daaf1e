package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;

/**
 * Staff prove who they are with credentials an operator makes (or WeCom's OAuth for the sidebar), and each role
 * reaches only what it needs; what staff write is recorded as done by their credential.
 */
@EngineTest
class StaffAccessTest {

    @Autowired
    WebTestClient web;
    @Autowired
    AllowedCallers callers;
    @Autowired
    TestClock clock;

    private WebTestClient.ResponseSpec call(String authorization, String method, String path, Object body) {
        var request = web.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header(HttpHeaders.AUTHORIZATION, authorization);
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOperatorMakesAMarketerWhoseTokenReachesSegmentsButNotRulesAndWhoseNameIsTheActor() {
        String operator = "Bearer " + callers.key(Role.OPERATOR);
        String name = "mkt-" + System.nanoTime();
        Map<String, Object> created = json(call(operator, "POST", "/api/v1/admin/credentials",
                Map.of("role", "marketer", "name", name)).expectStatus().isCreated());
        String secret = (String) created.get("secret");
        assertThat(secret).startsWith("siyu_");
        call(operator, "POST", "/api/v1/admin/credentials", Map.of("role", "marketer", "name", name))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:siyu:problem:credential-name-taken");
        call(operator, "POST", "/api/v1/admin/credentials", Map.of("role", "marketer", "name", name.toUpperCase()))
                .expectStatus().isEqualTo(409);
        call(operator, "POST", "/api/v1/admin/credentials", Map.of("role", "member", "name", "x"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("role");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) (List<?>) web.get()
                .uri("/api/v1/admin/credentials").header(HttpHeaders.AUTHORIZATION, operator).exchange()
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody();
        assertThat(listed).anySatisfy(entry -> assertThat(entry).containsEntry("name", name)
                .doesNotContainKeys("secret", "secretHash"));

        // a page exchanges the credential for a short-lived token
        Map<String, Object> token = json(call("Bearer " + secret, "POST", "/api/v1/auth/token", null)
                .expectStatus().isOk());
        assertThat(token).containsEntry("role", "marketer").containsEntry("tokenType", "Bearer");
        String marketer = "Bearer " + token.get("accessToken");

        String segmentId = "staff-test-" + System.nanoTime();
        call(marketer, "POST", "/api/v1/segments", Map.of("segmentId", segmentId, "name", "gold",
                "criteria", Map.of("tier", Map.of("in", List.of("gold"))), "actor", "someone-else"))
                .expectStatus().isCreated().expectBody().jsonPath("$.actor").isEqualTo("marketer:" + name);
        call(marketer, "GET", "/api/v1/admin/earning-rules", null).expectStatus().isOk();
        call(marketer, "POST", "/api/v1/admin/earning-rules", Map.of()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:forbidden");
        String memberId = new Api(web).register();
        call(marketer, "GET", "/api/v1/members/" + memberId + "/timeline", null).expectStatus().isForbidden();
        call(marketer, "POST", "/api/v1/members/" + memberId + "/adjustments",
                Map.of("adjustmentId", "A-1", "points", 1_000_000_000, "reason", "r")).expectStatus().isForbidden();

        // a token is not exchanged for another token: its lifetime is the credential's to renew
        call(marketer, "POST", "/api/v1/auth/token", null).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:credential-required");

        // revoked: the API key and the tokens made from it stop at once
        call(operator, "DELETE", "/api/v1/admin/credentials/" + created.get("credentialId"), null)
                .expectStatus().isOk().expectBody().jsonPath("$.revokedAt").exists();
        call("Bearer " + secret, "POST", "/api/v1/auth/token", null).expectStatus().isUnauthorized();
        call(marketer, "GET", "/api/v1/admin/earning-rules", null).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("revoked"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSidebarAgentSignsInThroughWeComAndReachesOnlyTheirOwnContacts() {
        String staff = "agent-" + System.nanoTime();
        String unionid = "u-agent-" + System.nanoTime();
        String external = "wm-agent-" + System.nanoTime();
        String contact = new Api(web).registerWith(unionid, null);
        String stranger = new Api(web).register();
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        SimulatedWeCom.WECOM.follow(external, staff);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        callbacks.deliver(WeComCallbacks.contact("add_external_contact", staff, external, null, callbacks.now()));

        Map<String, Object> session = json(web.post().uri("/api/v1/auth/wecom").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", SimulatedWeCom.WECOM.oauthCode(staff))).exchange().expectStatus().isOk());
        assertThat(session).containsEntry("role", "agent");
        String agent = "Bearer " + session.get("accessToken");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                call(agent, "GET", "/api/v1/wecom/contacts/" + external + "/timeline", null).expectStatus().isOk()
                        .expectBody().jsonPath("$.memberId").isEqualTo(contact));
        // by member id the contact is known once the member's facts record it (their own projection)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                call(agent, "GET", "/api/v1/members/" + contact + "/points", null).expectStatus().isOk());
        call(agent, "GET", "/api/v1/members/" + stranger + "/timeline", null).expectStatus().isForbidden();
        call(agent, "GET", "/api/v1/members/" + stranger + "/points", null).expectStatus().isForbidden();

        // adjustments: small ones by the agent, recorded as theirs; large ones need an operator
        call(agent, "POST", "/api/v1/members/" + contact + "/adjustments",
                Map.of("adjustmentId", "A-agent-1", "points", 50, "reason", "apology", "actor", "not-me"))
                .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(50);
        List<Map<String, Object>> movements = (List<Map<String, Object>>) json(call(agent, "GET",
                "/api/v1/members/" + contact + "/points/history", null).expectStatus().isOk()).get("movements");
        assertThat(movements).anySatisfy(movement -> assertThat(movement).containsEntry("actor", "agent:" + staff));
        call(agent, "POST", "/api/v1/members/" + contact + "/adjustments",
                Map.of("adjustmentId", "A-agent-2", "points", 100_000, "reason", "big")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:adjustment-needs-operator");
        call("Bearer " + callers.key(Role.OPERATOR), "POST", "/api/v1/members/" + contact + "/adjustments",
                Map.of("adjustmentId", "A-agent-2", "points", 100_000, "reason", "big")).expectStatus().isOk();

        // a brand-new contact whose callback has not arrived: WeCom is asked before refusing
        String fresh = "wm-fresh-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(fresh, "u-fresh-" + System.nanoTime());
        SimulatedWeCom.WECOM.follow(fresh, staff);
        int reads = SimulatedWeCom.WECOM.contactReads();
        call(agent, "GET", "/api/v1/wecom/contacts/" + fresh + "/timeline", null).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-wecom-contact");
        assertThat(SimulatedWeCom.WECOM.contactReads()).isGreaterThan(reads);
        String notMine = "wm-other-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(notMine, "u-other-" + System.nanoTime());
        SimulatedWeCom.WECOM.follow(notMine, "someone-else");
        call(agent, "GET", "/api/v1/wecom/contacts/" + notMine + "/timeline", null).expectStatus().isForbidden();

        web.post().uri("/api/v1/auth/wecom").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", "not-a-code")).exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:invalid-wecom-code");
    }

    @Test
    void metricsNeedACredentialAndHealthSaysNoMore() {
        web.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer nothing").exchange()
                .expectStatus().isUnauthorized();
        call("Bearer " + callers.key(Role.METRICS), "GET", "/actuator/prometheus", null).expectStatus().isOk();
        call("Bearer " + callers.key(Role.METRICS), "GET", "/api/v1/admin/projections", null)
                .expectStatus().isForbidden();
        web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
    }
}
