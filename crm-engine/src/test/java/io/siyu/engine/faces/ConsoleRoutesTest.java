package io.siyu.engine.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComTags;
import io.siyu.engine.access.Credentials;
import io.siyu.engine.access.Role;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * The routes the faces added, over HTTP: the overview moves by exactly what three new members did; the reward
 * catalogue pages in id order; the sidebar's profile shows an agent's own contact and refuses another agent's.
 */
@EngineTest
class ConsoleRoutesTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;
    @Autowired
    ApplicationContext engine;

    @Test
    @SuppressWarnings("unchecked")
    void theOverviewMovesByExactlyWhatNewMembersDid() {
        Api api = new Api(web, clock);
        Map<String, Object> before = api.get("/api/v1/overview?weeks=2");
        String buyer = api.register();
        String redeemer = api.register();
        api.register(); // registers and does nothing more
        api.purchase(buyer, "OV-1", 10_000).expectStatus().isOk();
        web.post().uri("/api/v1/members/" + buyer + "/check-ins").exchange().expectStatus().isOk();
        api.purchase(redeemer, "OV-2", 5_000).expectStatus().isOk();
        api.post("/api/v1/members/" + redeemer + "/redemptions", Map.of("redemptionId", "OV-R", "points", 30,
                "reason", "till voucher")).expectStatus().isOk();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> after = api.get("/api/v1/overview?weeks=2");
            assertThat(number(after, "members") - number(before, "members")).isEqualTo(3);
            assertThat(number(after, "monthlyActive") - number(before, "monthlyActive")).isEqualTo(2);
            Map<String, Object> weekBefore = last(before), weekAfter = last(after);
            assertThat(weekAfter.get("week")).isEqualTo(weekBefore.get("week"));
            assertThat(number(weekAfter, "earned") - number(weekBefore, "earned")).isEqualTo(100 + 5 + 50);
            assertThat(number(weekAfter, "redeemed") - number(weekBefore, "redeemed")).isEqualTo(30);
            assertThat(tier(after, "member") - tier(before, "member")).isEqualTo(3);
        });
        Map<String, Object> after = api.get("/api/v1/overview?weeks=2");
        Map<String, Object> points = (Map<String, Object>) after.get("points");
        assertThat(number(points, "valueFen")).isEqualTo(number(points, "outstanding")); // ¥0.01 a point
        assertThat((List<?>) after.get("weeks")).hasSize(2);
        assertThat(((List<Map<String, Object>>) after.get("tiers")).stream().map(t -> t.get("tier")))
                .containsExactly("member", "silver", "gold", "black");
        for (String weeks : List.of("0", "157", "x")) {
            assertThat(api.getExpecting("/api/v1/overview?weeks=" + weeks, 400).toString()).contains("weeks");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRewardCatalogueIsPagedInIdOrder() {
        Api api = new Api(web);
        String prefix = "cat-" + System.nanoTime() + "-";
        for (String id : List.of("c", "a", "b")) {
            api.post("/api/v1/rewards", Map.of("rewardId", prefix + id, "name", "Reward " + id, "pointsCost", 10,
                    "stock", 7, "perMemberLimit", 1, "validDays", 30)).expectStatus().isCreated();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> ours = new ArrayList<>();
            List<String> all = new ArrayList<>();
            String after = null;
            do {
                Map<String, Object> page = api.get("/api/v1/rewards?limit=2" + (after == null ? "" : "&after=" + after));
                assertThat((List<?>) page.get("rewards")).hasSizeLessThanOrEqualTo(2);
                for (Map<String, Object> reward : (List<Map<String, Object>>) page.get("rewards")) {
                    all.add((String) reward.get("rewardId"));
                    if (((String) reward.get("rewardId")).startsWith(prefix)) {
                        ours.add((String) reward.get("rewardId"));
                        assertThat(reward).containsEntry("stock", 7).containsEntry("pointsCost", 10);
                    }
                }
                after = (String) page.get("nextAfter");
            } while (after != null);
            assertThat(ours).containsExactly(prefix + "a", prefix + "b", prefix + "c");
            assertThat(all).isSorted().doesNotHaveDuplicates();
        });
        assertThat(api.getExpecting("/api/v1/rewards?limit=201", 400).toString()).contains("limit");
        assertThat(api.getExpecting("/api/v1/rewards?after=a%20b", 400).toString()).contains("after");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSidebarsProfileShowsAnAgentTheirContactAndNothingThatIdentifiesThePerson() {
        Api api = new Api(web, clock);
        String openid = Api.newOpenid();
        String member = api.register(openid);
        String staff = "staff-profile-" + System.nanoTime();
        String externalUserId = "wm-profile-" + System.nanoTime();
        Instant now = clock.instant();
        commands.sendAndWait(new RecordWeComContactAdded(member, "profile-add-" + member, staff, externalUserId,
                "store-qr", now));
        commands.sendAndWait(new RecordWeComTags(member, "profile-tags-" + member, staff, List.of("VIP"), now));
        commands.sendAndWait(new RecordWeComGroupJoined(member, "profile-join-" + member, "wr-profile", 3, null, null,
                now, null));
        api.post("/api/v1/members/" + member + "/consents", Map.of("changeId", "pc-1", "purpose", "marketing",
                "granted", true)).expectStatus().isOk();
        Credentials credentials = engine.getBean(Credentials.class);
        String agent = "Bearer " + credentials.create(Role.AGENT, staff, "test").block().secret();
        String stranger = "Bearer " + credentials.create(Role.AGENT, "other-" + staff, "test").block().secret();

        Map<String, Object>[] seen = new Map[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            seen[0] = web.get().uri("/api/v1/members/" + member + "/profile").header("Authorization", agent)
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            assertThat((List<?>) seen[0].get("groups")).hasSize(1);
            assertThat((Map<String, Object>) seen[0].get("consents")).containsEntry("marketing", true);
        });
        Map<String, Object> profile = seen[0];
        assertThat(profile).containsOnlyKeys("memberId", "registeredAt", "channel", "storeId", "consents",
                "contacts", "groups", "erased");
        assertThat((List<Map<String, Object>>) profile.get("contacts")).singleElement()
                .satisfies(contact -> assertThat(contact).containsEntry("staffUserId", staff)
                        .containsEntry("state", "store-qr").containsEntry("tags", List.of("VIP"))
                        .containsOnlyKeys("staffUserId", "since", "state", "tags"));
        assertThat(profile.toString()).doesNotContain(openid).doesNotContain(externalUserId);
        Map<String, Object> byContact = web.get().uri("/api/v1/wecom/contacts/" + externalUserId + "/profile")
                .header("Authorization", agent).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(new HashMap<>(byContact)).isEqualTo(new HashMap<>(profile));
        web.get().uri("/api/v1/members/" + member + "/profile").header("Authorization", stranger).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/v1/wecom/contacts/" + externalUserId + "/profile").header("Authorization", stranger)
                .exchange().expectStatus().isForbidden();
        api.getExpecting("/api/v1/wecom/contacts/wm-nobody-" + System.nanoTime() + "/profile", 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStagesMembersShowTheStreakAsItStandsNotAsItWasLastRecorded() {
        Api api = new Api(web, clock);
        String store = "ST-" + System.nanoTime();
        String member = (String) web.post().uri("/api/v1/members").contentType(org.springframework.http.MediaType
                        .APPLICATION_JSON).bodyValue(Map.of("openid", Api.newOpenid(), "storeId", store)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("memberId");
        web.post().uri("/api/v1/members/" + member + "/check-ins").exchange().expectStatus().isOk();
        String day = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneId.of("Asia/Shanghai")).toString();
        String stage = "/api/v1/funnels/private-domain/stages/registered/members?store=" + store + "&from=" + day;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                (List<Map<String, Object>>) api.get(stage).get("members")).singleElement()
                .satisfies(shown -> assertThat(shown).containsEntry("memberId", member)
                        .containsEntry("checkInStreak", 1)));
        clock.advance(Duration.ofDays(3)); // two days missed: the streak is broken, whatever was last recorded
        assertThat((List<Map<String, Object>>) api.get(stage + "&to=" + day).get("members")).singleElement()
                .satisfies(shown -> assertThat(shown).containsEntry("checkInStreak", 0));
    }

    private static long number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> last(Map<String, Object> overview) {
        List<Map<String, Object>> weeks = (List<Map<String, Object>>) overview.get("weeks");
        return weeks.get(weeks.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static long tier(Map<String, Object> overview, String tier) {
        return ((List<Map<String, Object>>) overview.get("tiers")).stream().filter(t -> tier.equals(t.get("tier")))
                .mapToLong(t -> ((Number) t.get("members")).longValue()).sum();
    }
}
