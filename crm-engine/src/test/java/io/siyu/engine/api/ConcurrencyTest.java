package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.siyu.api.points.PointsEarned;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import reactor.core.publisher.Flux;

/** Many callers at once on one member: the invariants hold and retries are not doubled. */
@EngineTest
class ConcurrencyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    EventStore eventStore;
    @LocalServerPort
    int port;
    @Autowired
    AllowedCallers callers;

    private record Request(String path, Map<String, Object> body) {
    }

    private record Answer(Request request, int status, String body) {
    }

    /** Sends every request at once over real connections and collects status and body of each. */
    private List<Answer> concurrently(int count, IntFunction<Request> requests) {
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port).filter(callers).build();
        return Flux.range(0, count)
                .map(requests::apply)
                .flatMap(request -> client.post().uri(request.path()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(request.body())
                        .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                                .map(text -> new Answer(request, response.statusCode().value(), text))), count)
                .collectList()
                .block(Duration.ofSeconds(60));
    }

    private long eventsOfType(String memberId, Class<?> type) {
        return eventStore.readEvents(memberId).asStream().filter(event -> type.isInstance(event.getPayload())).count();
    }

    @Test
    void fiftyConcurrentRedemptionsOfTenAgainstOneHundredPointsAcceptExactlyTen() {
        Api api = new Api(web);
        String memberId = api.register();
        api.purchase(memberId, "O-100", 10_000).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(100);

        List<Answer> answers = concurrently(50, i -> new Request("/api/v1/members/" + memberId + "/redemptions",
                Map.of("redemptionId", "R-" + i, "points", 10, "reason", "coupon")));

        assertThat(answers).noneMatch(answer -> HttpStatusCode.valueOf(answer.status()).is5xxServerError());
        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(10);
        assertThat(answers).filteredOn(answer -> answer.status() == 409).hasSize(40)
                .allMatch(answer -> answer.body().contains("insufficient-points")
                        && answer.body().contains("\"requested\":10"));
        api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(0).jsonPath("$.lifetimeRedeemed")
                .isEqualTo(100);
    }

    @Test
    void theSamePurchaseSentThreeTimesAtOnceIsRecordedAndEarnsOnce() {
        Api api = new Api(web);
        String memberId = api.register();
        String occurredAt = io.siyu.engine.support.Api.ago(java.time.Duration.ofMinutes(5));

        List<Answer> answers = concurrently(3, i -> new Request("/api/v1/members/" + memberId + "/purchases",
                Map.of("orderId", "O-dup", "amountFen", 12_850, "storeId", "SH-001", "channel", "pos",
                        "occurredAt", occurredAt)));

        assertThat(answers).extracting(Answer::status).containsOnly(200);
        assertThat(answers).extracting(Answer::body)
                .allMatch(body -> body.contains("\"pointsEarned\":128") && body.contains("\"balance\":128"));
        assertThat(answers).filteredOn(answer -> answer.body().contains("\"duplicate\":false")).hasSize(1);
        assertThat(eventsOfType(memberId, PurchaseRecorded.class)).isEqualTo(1);
        assertThat(eventsOfType(memberId, PointsEarned.class)).isEqualTo(1);
        api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(128).jsonPath("$.recent.length()")
                .isEqualTo(1);
    }

    @Test
    void theSameOpenidRegisteredFiveTimesAtOnceMakesOneMember() {
        String openid = Api.newOpenid();
        List<Answer> answers = concurrently(5, i -> new Request("/api/v1/members", Map.of("openid", openid)));

        assertThat(answers).extracting(Answer::status).containsOnly(200, 201);
        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertThat(answers.stream().map(Answer::body).distinct()).hasSize(1);
    }

    @Test
    void concurrentPurchasesAndRedemptionsOnOneMemberNeverLoseAPoint() {
        Api api = new Api(web);
        String memberId = api.register();
        api.purchase(memberId, "O-seed", 5_000).expectStatus().isOk();
        String occurredAt = io.siyu.engine.support.Api.ago(java.time.Duration.ofMinutes(5));

        List<Answer> answers = concurrently(60, i -> i % 2 == 0
                ? new Request("/api/v1/members/" + memberId + "/purchases", Map.of("orderId", "O-" + i,
                        "amountFen", 1_000, "storeId", "SH-001", "channel", "pos", "occurredAt", occurredAt))
                : new Request("/api/v1/members/" + memberId + "/redemptions",
                        Map.of("redemptionId", "R-" + i, "points", 7, "reason", "coupon")));

        assertThat(answers).noneMatch(answer -> HttpStatusCode.valueOf(answer.status()).is5xxServerError());
        long purchases = answers.stream().filter(answer -> answer.request().path().endsWith("/purchases")
                && answer.status() == 200).count();
        long redemptions = answers.stream().filter(answer -> answer.request().path().endsWith("/redemptions")
                && answer.status() == 200).count();
        assertThat(purchases).isEqualTo(30);
        assertThat(answers).filteredOn(answer -> answer.request().path().endsWith("/redemptions"))
                .allMatch(answer -> answer.status() == 200 || answer.status() == 409);
        api.points(memberId).expectBody()
                .jsonPath("$.balance").isEqualTo(50 + purchases * 10 - redemptions * 7)
                .jsonPath("$.lifetimeEarned").isEqualTo(50 + purchases * 10)
                .jsonPath("$.lifetimeRedeemed").isEqualTo(redemptions * 7);
    }
}
