package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * The points history is read backwards from the newest event a window at a time: paging with {@code nextBefore}
 * through a history several windows long returns every movement once, newest first, and the oldest page ends it.
 */
@EngineTest
class PointsHistoryPagingTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    @SuppressWarnings("unchecked")
    void pagingThroughALongHistoryReturnsEveryMovementOnceNewestFirst() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        String member = "/api/v1/members/" + memberId;
        for (int i = 0; i < 130; i++) {
            api.purchase(memberId, "O-" + i, 1_000).expectStatus().isOk();
            if (i % 50 == 49) {
                api.post(member + "/redemptions", Map.of("redemptionId", "R-" + i, "points", 5, "reason", "gift"))
                        .expectStatus().isOk();
            }
        }
        List<Map<String, Object>> all = new ArrayList<>();
        Object before = null;
        int pages = 0;
        do {
            Map<String, Object> page = api.get(member + "/points/history?limit=40"
                    + (before == null ? "" : "&before=" + before));
            all.addAll((List<Map<String, Object>>) page.get("movements"));
            before = page.get("nextBefore");
            pages++;
        } while (before != null && pages < 50);
        assertThat(all).hasSize(132);
        assertThat(all).extracting(movement -> ((Number) movement.get("sequence")).longValue())
                .doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.get(0)).containsEntry("kind", "earned").containsEntry("sourceId", "O-129");
        assertThat(all.get(all.size() - 1)).containsEntry("sourceId", "O-0");
        assertThat(all).filteredOn(movement -> "redeemed".equals(movement.get("kind"))).hasSize(2);
        web.get().uri("/api/v1/members/m-nobody/points/history").exchange().expectStatus().isNotFound();
        for (String bad : List.of("before=-1", "limit=0", "limit=201")) {
            web.get().uri(member + "/points/history?" + bad).exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:invalid-request")
                    .jsonPath("$.errors[0].field").isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
    }
}
