package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;
import io.siyu.wecom.simulator.CallbackSender;

/**
 * Identity that can change: a member registered without a unionid gets it when a later registration carries it (an
 * event on their stream), and their WeCom history recorded before — by a contact added while they had none — joins
 * them; the same openid with another unionid is refused and changes nothing; a second member claiming a unionid is
 * refused (the first claim holds) and the conflict is listed for operators, masked.
 */
@EngineTest
@SuppressWarnings("unchecked")
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class IdentityJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @LocalServerPort
    int port;

    @Test
    void aUnionidLearnedAfterRegistrationLinksTheirWeComHistoryAndASecondClaimIsRefusedAndRecorded(
            org.springframework.boot.test.system.CapturedOutput output) {
        String run = String.valueOf(System.nanoTime());
        String openid = "oMP-R05-" + run;
        String unionid = "oUN-R05-" + run;
        String external = "wm-r05-" + run;
        Map<String, Object> first = register(Map.of("openid", openid)).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String memberId = (String) first.get("memberId");

        SimulatedWeCom.WECOM.externalContact(external, unionid);
        new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + port + "/wecom/callback"), clock)
                .send(WeComCallbacks.contact("add_external_contact", "staff-r", external, null,
                        String.valueOf(clock.instant().getEpochSecond())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(SimulatedWeCom.WECOM.contactReads())
                .isPositive());
        web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isNotFound();

        // the brand's backend learns the unionid: the same registration again, now with it
        register(Map.of("openid", openid, "unionid", unionid)).expectStatus().isOk().expectBody()
                .jsonPath("$.memberId").isEqualTo(memberId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(memberId))
                .contains("unionid-attached").containsOnlyOnce("wecom-contact-added"));
        web.get().uri("/api/v1/wecom/contacts/" + external + "/timeline").exchange().expectStatus().isOk();
        // again: nothing new
        register(Map.of("openid", openid, "unionid", unionid)).expectStatus().isOk();
        assertThat(kinds(memberId)).containsOnlyOnce("unionid-attached");

        // the same openid with another unionid: refused, nothing changes
        register(Map.of("openid", openid, "unionid", "oUN-other-" + run)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unionid-mismatch")
                .jsonPath("$.field").isEqualTo("unionid");
        // and that other unionid was not left claimed: another member may have it
        register(Map.of("openid", "oMP-other-" + run, "unionid", "oUN-other-" + run)).expectStatus().isCreated();

        // a second member with the first one's unionid: the first claim holds
        register(Map.of("openid", "oMP-second-" + run, "unionid", unionid)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unionid-claimed")
                .jsonPath("$.heldBy").isEqualTo(memberId).jsonPath("$.field").isEqualTo("unionid");
        List<Map<String, Object>> conflicts = (List<Map<String, Object>>) new Api(web)
                .get("/api/v1/admin/identity-conflicts").get("conflicts");
        assertThat(conflicts).filteredOn(conflict -> memberId.equals(conflict.get("heldBy"))).singleElement()
                .satisfies(conflict -> {
                    assertThat(conflict).containsEntry("source", "registration").containsEntry("attempts", 1);
                    assertThat((String) conflict.get("unionidMasked")).startsWith("oUN-").contains("***")
                            .doesNotContain(run);
                    assertThat((String) conflict.get("openidMasked")).startsWith("oMP-").contains("***")
                            .doesNotContain(run);
                });
        assertThat(output.getAll()).as("no personal data in the log: openid, unionid, external user id")
                .doesNotContain(openid).doesNotContain(unionid).doesNotContain(external);
    }

    /** A Mini Program bound to the Open Platform after the member first signed in: the next sign-in attaches it. */
    @Test
    void aSignInThatBringsAUnionidAttachesIt() {
        String run = String.valueOf(System.nanoTime());
        String openid = "o-mp-late-" + run;
        String memberId = signIn(io.siyu.engine.support.SimulatedWeChat.WECHAT.loginCode(openid, null));
        String unionid = "u-mp-late-" + run;
        assertThat(signIn(io.siyu.engine.support.SimulatedWeChat.WECHAT.loginCode(openid, unionid)))
                .isEqualTo(memberId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(memberId))
                .containsOnlyOnce("unionid-attached"));
        // a till can name the member by it now
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.post().uri("/api/v1/members")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("openid", openid, "unionid", unionid))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.memberId").isEqualTo(memberId));
        // another member signing in with that unionid keeps signing in, without it; the conflict is recorded
        String other = signIn(io.siyu.engine.support.SimulatedWeChat.WECHAT.loginCode("o-mp-other-" + run, unionid));
        assertThat(other).isNotEqualTo(memberId);
        assertThat(kinds(other)).doesNotContain("unionid-attached");
        List<Map<String, Object>> conflicts = (List<Map<String, Object>>) new Api(web)
                .get("/api/v1/admin/identity-conflicts").get("conflicts");
        assertThat(conflicts).filteredOn(conflict -> other.equals(conflict.get("refused"))).singleElement()
                .satisfies(conflict -> assertThat(conflict).containsEntry("heldBy", memberId)
                        .containsEntry("source", "mini-program"));
    }

    private String signIn(String code) {
        return (String) web.post().uri("/api/v1/auth/mini-program").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code)).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody().get("memberId");
    }

    private WebTestClient.ResponseSpec register(Map<String, Object> body) {
        return web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private List<Object> kinds(String memberId) {
        return ((List<Map<String, Object>>) new Api(web).get("/api/v1/members/" + memberId + "/timeline")
                .get("entries")).stream().map(entry -> entry.get("kind")).toList();
    }
}
