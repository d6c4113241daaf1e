package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;

/** The reward catalogue and coupon redemptions over HTTP, the last unit of stock under concurrency included. */
@EngineTest
class RewardJourneyTest {

    @Autowired
    WebTestClient web;

    @Autowired
    io.siyu.engine.support.TestClock clock;

    @Autowired
    org.axonframework.commandhandling.gateway.CommandGateway commands;

    @Autowired
    com.mongodb.client.MongoClient mongo;

    @Autowired
    io.siyu.engine.store.MongoEndpoint endpoint;

    private String memberWithPoints(Api api, long amountFen) {
        String memberId = api.register();
        api.purchase(memberId, "O-" + memberId, amountFen).expectStatus().isOk();
        return memberId;
    }

    private void define(Api api, String rewardId, long cost, long stock, int limit) {
        api.post("/api/v1/rewards", Map.of("rewardId", rewardId, "name", "满100减20券", "pointsCost", cost,
                "stock", stock, "perMemberLimit", limit, "validDays", 30)).expectStatus().isCreated()
                .expectBody().jsonPath("$.duplicate").isEqualTo(false);
    }

    private WebTestClient.ResponseSpec redeem(Api api, String memberId, String redemptionId, String rewardId) {
        return api.post("/api/v1/members/" + memberId + "/redemptions",
                Map.of("redemptionId", redemptionId, "rewardId", rewardId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void tenMembersAskForTheLastCouponAtOnceAndExactlyOneGetsItAndPays() throws Exception {
        Api api = new Api(web);
        String rewardId = "RW-LAST-" + System.nanoTime();
        define(api, rewardId, 50, 1, 1);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(memberWithPoints(api, 10_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<EntityExchangeResult<Map>>> answers = new ArrayList<>();
        for (String memberId : members) {
            Callable<EntityExchangeResult<Map>> call = () -> redeem(api, memberId, "R-1", rewardId)
                    .expectBody(Map.class).returnResult();
            answers.add(pool.submit(call));
        }
        int won = 0;
        int soldOut = 0;
        String winner = null;
        for (int i = 0; i < answers.size(); i++) {
            EntityExchangeResult<Map> answer = answers.get(i).get();
            if (answer.getStatus().value() == 200) {
                won++;
                winner = members.get(i);
                assertThat((String) answer.getResponseBody().get("couponCode")).startsWith("CP-");
                assertThat(answer.getResponseBody()).containsEntry("status", "redeemed");
            } else {
                assertThat(answer.getStatus().value()).isEqualTo(409);
                assertThat(answer.getResponseBody()).containsEntry("type", "urn:siyu:problem:reward-out-of-stock");
                soldOut++;
            }
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        assertThat(soldOut).isEqualTo(9);
        // a member told "sold out" held points that are free again, and no coupon code was ever theirs
        String theWinner = winner;
        String loser = members.stream().filter(member -> !member.equals(theWinner)).findFirst().orElseThrow();
        Map<String, Object> released = api.get("/api/v1/members/" + loser + "/redemptions/R-1");
        assertThat(released).containsEntry("status", "released");
        assertThat((String) released.get("reason")).startsWith("reward-out-of-stock");
        assertThat(released.get("couponCode")).isNull();
        for (String memberId : members) {
            long balance = ((Number) api.get("/api/v1/members/" + memberId + "/points").get("balance")).longValue();
            assertThat(balance).isEqualTo(memberId.equals(winner) ? 50 : 100);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 0));
    }

    @Test
    void membersWhoCannotPayNeverHoldTheLastUnitFromOneWhoCan() throws Exception {
        Api api = new Api(web);
        String rewardId = "RW-POOR-" + System.nanoTime();
        define(api, rewardId, 100, 1, 1);
        List<String> poor = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            poor.add(memberWithPoints(api, 5_000));
        }
        String rich = memberWithPoints(api, 20_000);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<EntityExchangeResult<Map>>> poorAnswers = new ArrayList<>();
        for (String memberId : poor) {
            Callable<EntityExchangeResult<Map>> call = () -> redeem(api, memberId, "R-1", rewardId)
                    .expectBody(Map.class).returnResult();
            poorAnswers.add(pool.submit(call));
        }
        Future<EntityExchangeResult<Map>> richAnswer = pool.submit(() -> redeem(api, rich, "R-1", rewardId)
                .expectBody(Map.class).returnResult());
        assertThat(richAnswer.get().getStatus().value()).isEqualTo(200);
        assertThat(richAnswer.get().getResponseBody()).containsEntry("status", "redeemed");
        for (Future<EntityExchangeResult<Map>> answer : poorAnswers) {
            assertThat(answer.get().getStatus().value()).isEqualTo(409);
            assertThat(answer.get().getResponseBody())
                    .containsEntry("type", "urn:siyu:problem:reward-redemption-refused");
            assertThat((String) answer.get().getResponseBody().get("reason")).startsWith("insufficient-points");
        }
        pool.shutdown();
        assertThat(api.get("/api/v1/members/" + rich + "/points")).containsEntry("balance", 100);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemberAskingTenTimesAtOnceGetsOneCouponAndNobodyIsToldSoldOutWhileUnitsRemain() throws Exception {
        Api api = new Api(web);
        String rewardId = "RW-TAPS-" + System.nanoTime();
        define(api, rewardId, 100, 5, 1);
        String memberId = memberWithPoints(api, 30_000);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<EntityExchangeResult<Map>>> answers = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String redemptionId = String.format("RW-N-%02d", i);
            Callable<EntityExchangeResult<Map>> call = () -> redeem(api, memberId, redemptionId, rewardId)
                    .expectBody(Map.class).returnResult();
            answers.add(pool.submit(call));
        }
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (Future<EntityExchangeResult<Map>> answer : answers) {
            EntityExchangeResult<Map> result = answer.get();
            String outcome = result.getStatus().value() + " " + (result.getStatus().value() == 200
                    ? result.getResponseBody().get("status") : result.getResponseBody().get("type"));
            outcomes.merge(outcome, 1, Integer::sum);
        }
        pool.shutdown();
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("200 redeemed", 1,
                "409 urn:siyu:problem:reward-redemption-refused", 9));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 4));
        assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 200);
        // the four units left are there for the next member
        String another = memberWithPoints(api, 30_000);
        redeem(api, another, "R-1", rewardId).expectStatus().isOk();
    }

    @Test
    void aRedemptionThatCannotBePaidIsRefusedBeforeAnyUnitIsHeldAndTheMemberPaysNothing() {
        Api api = new Api(web);
        String rewardId = "RW-LIMIT-" + System.nanoTime();
        define(api, rewardId, 40, 5, 1);
        String memberId = memberWithPoints(api, 10_000);
        redeem(api, memberId, "R-1", rewardId).expectStatus().isOk()
                .expectBody().jsonPath("$.couponCode").isNotEmpty().jsonPath("$.points").isEqualTo(40);
        redeem(api, memberId, "R-1", rewardId).expectStatus().isOk()
                .expectBody().jsonPath("$.duplicate").isEqualTo(true);
        // a claim recorded before claims kept the member's version (an engine upgraded with it) answers as well;
        // the claim is put back after, as its events would rebuild it (other tests rebuild this projection)
        var claims = mongo.getDatabase(endpoint.database()).getCollection("reward_claims");
        var claimId = com.mongodb.client.model.Filters.eq("_id", memberId + "/R-1");
        Object memberVersion = claims.find(claimId).first().get("memberVersion");
        claims.updateOne(claimId, com.mongodb.client.model.Updates.unset("memberVersion"));
        try {
            redeem(api, memberId, "R-1", rewardId).expectStatus().isOk()
                    .expectBody().jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.status").isEqualTo("redeemed");
        } finally {
            claims.updateOne(claimId, com.mongodb.client.model.Updates.set("memberVersion", memberVersion));
        }
        redeem(api, memberId, "R-2", rewardId).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:reward-redemption-refused")
                .jsonPath("$.reason").value(reason -> assertThat((String) reason).startsWith("reward-limit-reached"));
        String poorMember = memberWithPoints(api, 1_000);
        redeem(api, poorMember, "R-1", rewardId).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.reason").value(reason ->
                        assertThat((String) reason).startsWith("insufficient-points"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 4));
        assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 60);
        assertThat(api.get("/api/v1/members/" + poorMember + "/points")).containsEntry("balance", 10);
        // refused before anything was held: nothing was reserved or paid, so there is no redemption to read
        web.get().uri("/api/v1/members/" + memberId + "/redemptions/R-2").exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/members/" + poorMember + "/redemptions/R-1").exchange().expectStatus().isNotFound();
    }

    @Test
    void theSameDefinitionAgainIsADuplicateAndAnotherUnderItsIdIsRefused() {
        Api api = new Api(web);
        String rewardId = "RW-DEF-" + System.nanoTime();
        define(api, rewardId, 40, 5, 1);
        api.post("/api/v1/rewards", Map.of("rewardId", rewardId, "name", "满100减20券", "pointsCost", 40,
                "stock", 5, "perMemberLimit", 1, "validDays", 30)).expectStatus().isOk()
                .expectBody().jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.stock").isEqualTo(5);
        api.post("/api/v1/rewards", Map.of("rewardId", rewardId, "name", "满100减20券", "pointsCost", 50,
                "stock", 5, "perMemberLimit", 1, "validDays", 30)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:idempotency-key-reused");
    }

    @Test
    void anIdThatNamesAnotherKindOfRecordIsRefusedAndARestockIdCannotChangeItsQuantity() {
        Api api = new Api(web);
        String memberId = memberWithPoints(api, 1_000);
        api.post("/api/v1/rewards", Map.of("rewardId", memberId, "name", "clash", "pointsCost", 10, "stock", 1,
                "perMemberLimit", 1, "validDays", 30)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:id-in-use");
        assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 10);
        String rewardId = "RW-RS-" + System.nanoTime();
        define(api, rewardId, 10, 3, 1);
        api.post("/api/v1/rewards/" + rewardId + "/restocks", Map.of("restockId", "RS-1", "quantity", 2))
                .expectStatus().isOk().expectBody().jsonPath("$.stock").isEqualTo(5)
                .jsonPath("$.duplicate").isEqualTo(false);
        api.post("/api/v1/rewards/" + rewardId + "/restocks", Map.of("restockId", "RS-1", "quantity", 2))
                .expectStatus().isOk().expectBody().jsonPath("$.stock").isEqualTo(5)
                .jsonPath("$.duplicate").isEqualTo(true);
        api.post("/api/v1/rewards/" + rewardId + "/restocks", Map.of("restockId", "RS-1", "quantity", 7))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:idempotency-key-reused");
    }

    @Test
    void aUnitReservedTheOldWayWithoutAHoldStillGoesBackAtItsDeadline() {
        Api api = new Api(web);
        String rewardId = "RW-OLD-" + System.nanoTime();
        define(api, rewardId, 10, 2, 1);
        String memberId = memberWithPoints(api, 10_000);
        // as the engine did before members held their points first: a unit reserved, then nothing more
        commands.sendAndWait(new io.siyu.api.reward.ReserveReward(rewardId, memberId, "R-OLD", "CP-OLD"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 1));
        clock.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/rewards/" + rewardId)).containsEntry("stock", 2);
            assertThat(api.get("/api/v1/members/" + memberId + "/redemptions/R-OLD"))
                    .containsEntry("status", "released");
        });
        assertThat(api.get("/api/v1/members/" + memberId + "/points")).containsEntry("balance", 100);
    }

    @Test
    void unknownRewardsAndMembersAreNamed() {
        Api api = new Api(web);
        String memberId = memberWithPoints(api, 10_000);
        redeem(api, memberId, "R-1", "RW-NOPE").expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-reward");
        redeem(api, "00000000-0000-0000-0000-000000000000", "R-1", "RW-NOPE").expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-member");
        api.post("/api/v1/members/" + memberId + "/redemptions", Map.of("redemptionId", "R-2", "rewardId", "RW-X",
                "points", 10)).expectStatus().isBadRequest();
    }
}
