package io.siyu.engine.api;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * A member holds only the orders its rules still need, yet a retry of any age is answered as the first time: an
 * order older than both windows is forgotten once the next one is recorded, and its retry is answered from the commit
 * that recorded it (same points, {@code duplicate: true}, nothing written), its id reused with other content is
 * refused, and its refund is refused as outside the refund window rather than as an unknown order.
 */
@EngineTest
class ForgottenOrdersJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    @Test
    void aRetryOfAForgottenOrderIsAnsweredFromItsCommit() {
        Api api = new Api(web, clock);
        String memberId = api.register();
        String member = "/api/v1/members/" + memberId;
        // a sale from 400 days ago, uploaded now: it earns and expires at once, and is outside every window
        api.post(member + "/purchases", Map.of("orderId", "O-old", "amountFen", 12_850, "storeId", "SH-001",
                        "channel", "mini_program", "occurredAt", Api.ago(Duration.ofDays(400)))).expectStatus().isOk()
                .expectBody().jsonPath("$.pointsEarned").isEqualTo(128).jsonPath("$.duplicate").isEqualTo(false);
        // the next sale is recorded, and the old order is forgotten by the member
        api.purchase(memberId, "O-new", 5_000).expectStatus().isOk().expectBody().jsonPath("$.balance")
                .isEqualTo(50);

        api.post(member + "/purchases", Map.of("orderId", "O-old", "amountFen", 12_850, "storeId", "SH-001",
                        "channel", "mini_program", "occurredAt", Api.ago(Duration.ofDays(400)))).expectStatus().isOk()
                .expectBody().jsonPath("$.pointsEarned").isEqualTo(128).jsonPath("$.duplicate").isEqualTo(true)
                .jsonPath("$.balance").isEqualTo(0);
        api.post(member + "/purchases", Map.of("orderId", "O-old", "amountFen", 99_900, "storeId", "SH-001",
                        "channel", "mini_program", "occurredAt", Api.ago(Duration.ofDays(400))))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type").value(type ->
                        org.assertj.core.api.Assertions.assertThat((String) type).endsWith("idempotency-key-reused"));
        api.post(member + "/refunds", Map.of("orderId", "O-old", "refundId", "F-old", "amountFen", 12_850))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type").value(type ->
                        org.assertj.core.api.Assertions.assertThat((String) type).endsWith("refund-window-closed"));
        api.post(member + "/refunds", Map.of("orderId", "O-never", "refundId", "F-never", "amountFen", 100))
                .expectStatus().isNotFound();

        // a redemption's retry, and an adjustment's, are answered from their commits too
        api.post(member + "/redemptions", Map.of("redemptionId", "R-1", "points", 20, "reason", "gift"))
                .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(30);
        api.post(member + "/redemptions", Map.of("redemptionId", "R-1", "points", 20, "reason", "gift"))
                .expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(30)
                .jsonPath("$.duplicate").isEqualTo(true);
        api.points(memberId).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(30);
    }
}
