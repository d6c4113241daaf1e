package io.siyu.engine.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComTags;
import io.siyu.api.wecom.WeComFactResult;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/** The WeCom sidebar's timeline: every kind of member event, newest first, paged across stored pages, two languages. */
@EngineTest
class TimelineJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;

    @Test
    @SuppressWarnings("unchecked")
    void anAgentPagesThroughAMembersWholeHistoryByWeComContact() {
        Api api = new Api(web);
        Map<?, ?> registered = web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "phone", "13812345678", "channel", "pos",
                        "storeId", "SH-009"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String memberId = (String) registered.get("memberId");
        String member = "/api/v1/members/" + memberId;
        api.post(member + "/consents", Map.of("changeId", "C-1", "purpose", "marketing", "granted", true,
                "source", "mini_program_settings")).expectStatus().isOk();
        Instant start = clock.instant();
        for (int i = 0; i < 30; i++) {
            api.purchaseAt(memberId, "O-" + i, 1_000 + i, start.minusSeconds(600 - i)).expectStatus().isOk();
        }
        api.post(member + "/refunds", Map.of("orderId", "O-29", "refundId", "F-1", "amountFen", 1_029))
                .expectStatus().isOk();
        api.post(member + "/check-ins", Map.of()).expectStatus().isOk();
        String externalUserId = "wm-" + memberId;
        // the same callback three times at once: one fact
        List<CompletableFuture<WeComFactResult>> adds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            adds.add(commands.send(new RecordWeComContactAdded(memberId, "cb-add-1", "staff-7", externalUserId,
                    "store-SH-009", clock.instant())));
        }
        assertThat(adds.stream().map(CompletableFuture::join).filter(WeComFactResult::recorded)).hasSize(1);
        commands.sendAndWait(new RecordWeComGroupJoined(memberId, "cb-join-1", "chat-vip", 3, null, "v2",
                clock.instant(), null));
        commands.sendAndWait(new RecordWeComTags(memberId, "cb-tag-1", "staff-7", List.of("VIP", "skincare"),
                clock.instant()));

        // 1 registration + 1 consent + 30 × (purchase, points) + refund + reversal + check-in + points
        // + contact + group + tags
        int expected = 1 + 1 + 60 + 2 + 2 + 3;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get(member + "/timeline?limit=1")).containsEntry("total", expected));

        List<Map<String, Object>> all = new ArrayList<>();
        Object before = null;
        do {
            Map<String, Object> page = web.get().uri(member + "/timeline?limit=7" + (before == null ? "" : "&before="
                            + before)).header("Accept-Language", "en-US,en;q=0.9").exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            all.addAll((List<Map<String, Object>>) page.get("entries"));
            before = page.get("nextBefore");
        } while (before != null);
        assertThat(all).hasSize(expected);
        assertThat(all).extracting(entry -> ((Number) entry.get("n")).intValue())
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(expected - 1, n -> n >= 0, n -> n - 1)
                        .boxed().toList());
        assertThat(all.get(0)).containsEntry("kind", "wecom-tags");
        assertThat((String) all.get(0).get("line")).isEqualTo("Tags by staff staff-7: +VIP +skincare");
        assertThat(all).extracting(entry -> entry.get("kind")).containsOnlyOnce("wecom-contact-added", "registered",
                "consent", "refund", "points-reversed", "check-in", "wecom-group-joined");
        Map<String, Object> purchase = all.stream().filter(entry -> "purchase".equals(entry.get("kind")))
                .findFirst().orElseThrow();
        assertThat((String) purchase.get("line")).isEqualTo("Purchase of ¥10.29 (order O-29, store SH-001, channel "
                + "mini_program)");
        assertThat((Map<String, Object>) purchase.get("data")).containsEntry("orderId", "O-29")
                .containsEntry("amountFen", 1_029).containsEntry("channel", "mini_program");
        // the sales happened ten minutes before the till uploaded them: they read before the registration
        assertThat(all.get(all.size() - 1)).containsEntry("kind", "purchase");
        Map<String, Object> registration = all.stream().filter(entry -> "registered".equals(entry.get("kind")))
                .findFirst().orElseThrow();
        assertThat((Map<String, Object>) registration.get("data")).containsEntry("phoneMasked", "*******5678")
                .doesNotContainKeys("phoneHash", "memberId", "openid", "unionid", "nickname");

        // the sidebar asks by WeCom external user id, in Chinese
        Map<String, Object> sidebar = web.get().uri("/api/v1/wecom/contacts/" + externalUserId + "/timeline?limit=3")
                .header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(sidebar).containsEntry("memberId", memberId).containsEntry("total", expected);
        List<Map<String, Object>> latest = (List<Map<String, Object>>) sidebar.get("entries");
        assertThat(latest).extracting(entry -> entry.get("line")).containsExactly("员工 staff-7 的标签 +VIP +skincare",
                "加入客户群 chat-vip（扫群二维码）", "添加企业微信员工 staff-7，渠道 store-SH-009");

        web.get().uri("/api/v1/wecom/contacts/wm-nobody/timeline").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-wecom-contact");
        web.get().uri("/api/v1/members/no-such-member/timeline").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-member");
        web.get().uri(member + "/timeline?limit=0").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
    }

}
