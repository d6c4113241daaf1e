package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * A table of bad requests: each is answered with problem+json naming what is wrong, never a 5xx, and writes
 * nothing: the member's event stream and the openid registry stay as they were.
 */
@EngineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final String NOW = io.siyu.engine.support.Api.ago(java.time.Duration.ofMinutes(1));
    private static final String LONG_ID = "x".repeat(65);

    @Autowired
    WebTestClient web;
    @Autowired
    EventStore eventStore;
    @Autowired
    TestClock clock;

    private String memberId;
    private long eventsBefore;

    @BeforeAll
    void aMemberWithAnOrder() {
        Api api = new Api(web);
        memberId = api.register();
        api.purchase(memberId, "O-1", 10_000).expectStatus().isOk();
        eventsBefore = eventCount();
    }

    private long eventCount() {
        return eventStore.readEvents(memberId).asStream().count();
    }

    private static String purchase(String orderId, String amountFen, String storeId, String channel, String occurredAt) {
        return "{\"orderId\":" + orderId + ",\"amountFen\":" + amountFen + ",\"storeId\":" + storeId + ",\"channel\":"
                + channel + ",\"occurredAt\":" + occurredAt + "}";
    }

    private static String q(String text) {
        return "\"" + text + "\"";
    }

    static Stream<Arguments> badRequests() {
        String purchases = "/api/v1/members/{id}/purchases";
        String refunds = "/api/v1/members/{id}/refunds";
        String redemptions = "/api/v1/members/{id}/redemptions";
        String members = "/api/v1/members";
        String ok = q("O-2");
        String store = q("SH-001");
        String channel = q("pos");
        String at = q(NOW);
        return Stream.of(
                Arguments.of("negative amount", purchases, purchase(ok, "-100", store, channel, at), 400, "amountFen"),
                Arguments.of("zero amount", purchases, purchase(ok, "0", store, channel, at), 400, "amountFen"),
                Arguments.of("fractional fen", purchases, purchase(ok, "12.5", store, channel, at), 400, "amountFen"),
                Arguments.of("amount as a string", purchases, purchase(ok, q("100"), store, channel, at), 400,
                        "amountFen"),
                Arguments.of("absurd amount", purchases, purchase(ok, "100000000000", store, channel, at), 400,
                        "amountFen"),
                Arguments.of("amount beyond a long", purchases, purchase(ok, "99999999999999999999", store, channel, at),
                        400, "amountFen"),
                Arguments.of("missing amount", purchases, purchase(ok, "null", store, channel, at), 400, "amountFen"),
                Arguments.of("unknown channel", purchases, purchase(ok, "100", store, q("weibo"), at), 400, "channel"),
                Arguments.of("missing channel", purchases, purchase(ok, "100", store, "null", at), 400, "channel"),
                Arguments.of("time without offset", purchases, purchase(ok, "100", store, channel,
                        q("2026-11-26T10:00:00")), 400, "occurredAt"),
                Arguments.of("time that is no time", purchases, purchase(ok, "100", store, channel, q("yesterday")),
                        400, "occurredAt"),
                Arguments.of("purchase in the future", purchases, purchase(ok, "100", store, channel, q("{tomorrow}")),
                        400, "occurredAt"),
                Arguments.of("oversize order id", purchases, purchase(q(LONG_ID), "100", store, channel, at), 400,
                        "orderId"),
                Arguments.of("order id with spaces", purchases, purchase(q("O 2"), "100", store, channel, at), 400,
                        "orderId"),
                Arguments.of("empty order id", purchases, purchase(q(""), "100", store, channel, at), 400, "orderId"),
                Arguments.of("oversize store id", purchases, purchase(ok, "100", q(LONG_ID), channel, at), 400,
                        "storeId"),
                Arguments.of("empty object", purchases, "{}", 400, "amountFen"),
                Arguments.of("malformed JSON", purchases, "{\"orderId\":", 400, ""),
                Arguments.of("array instead of object", purchases, "[1,2]", 400, null),
                Arguments.of("order reused for another amount", purchases, purchase(q("O-1"), "999", store, channel,
                        at), 409, null),
                Arguments.of("refund of zero", refunds, "{\"orderId\":\"O-1\",\"refundId\":\"F-1\",\"amountFen\":0}",
                        400, "amountFen"),
                Arguments.of("refund without id", refunds, "{\"orderId\":\"O-1\",\"amountFen\":100}", 400, "refundId"),
                Arguments.of("refund of more than was bought", refunds,
                        "{\"orderId\":\"O-1\",\"refundId\":\"F-1\",\"amountFen\":10001}", 409, null),
                Arguments.of("refund of an unknown order", refunds,
                        "{\"orderId\":\"O-404\",\"refundId\":\"F-1\",\"amountFen\":100}", 404, null),
                Arguments.of("redeem zero", redemptions, "{\"redemptionId\":\"R-1\",\"points\":0,\"reason\":\"x\"}",
                        400, "points"),
                Arguments.of("redeem negative", redemptions,
                        "{\"redemptionId\":\"R-1\",\"points\":-5,\"reason\":\"x\"}", 400, "points"),
                Arguments.of("redeem a word", redemptions,
                        "{\"redemptionId\":\"R-1\",\"points\":\"ten\",\"reason\":\"x\"}", 400, "points"),
                Arguments.of("redeem without reason", redemptions, "{\"redemptionId\":\"R-1\",\"points\":5}", 400,
                        "reason"),
                Arguments.of("redeem with an oversize reason", redemptions,
                        "{\"redemptionId\":\"R-1\",\"points\":5,\"reason\":\"" + "长".repeat(201) + "\"}", 400, "reason"),
                Arguments.of("redeem more than the balance", redemptions,
                        "{\"redemptionId\":\"R-1\",\"points\":101,\"reason\":\"x\"}", 409, null),
                Arguments.of("register without openid", members, "{\"nickname\":\"a\"}", 400, "openid"),
                Arguments.of("register with a malformed openid", members, "{\"openid\":\"not an openid!\"}", 400,
                        "openid"),
                Arguments.of("register with an oversize openid", members, "{\"openid\":\"" + "o".repeat(129) + "\"}",
                        400, "openid"),
                Arguments.of("register with a landline", members, "{\"openid\":\"{openid}\",\"phone\":\"021-1234567\"}",
                        400, "phone"),
                Arguments.of("register with an oversize nickname", members,
                        "{\"openid\":\"{openid}\",\"nickname\":\"" + "名".repeat(65) + "\"}", 400, "nickname"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemNamingTheFieldAndWritesNothing(String name, String path, String body, int status,
                                                              String field) {
        String openid = Api.newOpenid();
        WebTestClient.BodyContentSpec problem = web.post().uri(path.replace("{id}", memberId))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.replace("{openid}", openid)
                        .replace("{tomorrow}", clock.instant().plus(Duration.ofDays(1)).atOffset(ZoneOffset.ofHours(8))
                                .toString()))
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.type").value(type -> assertThat((String) type).startsWith("urn:siyu:problem:"))
                .jsonPath("$.detail").isNotEmpty();
        if (field != null) {
            problem.jsonPath("$.errors[?(@.field == '" + field + "')]").exists();
        }
        assertThat(eventCount()).as("events of the member after: " + name).isEqualTo(eventsBefore);
        web.get().uri("/api/v1/members/by-openid/" + openid).exchange().expectStatus().isNotFound();
    }

    @Test
    void anOversizeBodyIsRefusedWith413() {
        String huge = "{\"redemptionId\":\"R-1\",\"points\":5,\"reason\":\"" + "x".repeat(200_000) + "\"}";
        web.post().uri("/api/v1/members/" + memberId + "/redemptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(huge).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:payload-too-large");
        assertThat(eventCount()).isEqualTo(eventsBefore);
        web.post().uri("/wecom/callback?msg_signature=s&timestamp=1&nonce=n").contentType(MediaType.TEXT_XML)
                .bodyValue("<xml>" + "x".repeat(70_000) + "</xml>").exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").value(type -> assertThat((String) type).startsWith("urn:siyu:problem:"));
    }

    @Test
    void everyErrorSpringAnswersItselfIsOneOfOursNamingWhatToChange() {
        web.post().uri("/wecom/callback").contentType(MediaType.TEXT_XML).bodyValue("<xml/>").exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("msg_signature");
        web.get().uri("/api/v1/members/" + memberId + "/points?asOf=garbage").exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("asOf");
        web.post().uri("/api/v1/members/" + memberId + "/redemptions").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(400, 415)).expectBody()
                .jsonPath("$.type").value(type -> assertThat((String) type).startsWith("urn:siyu:problem:"))
                .jsonPath("$.errors[0].field").value(field -> assertThat(field).isNotNull());
        web.put().uri("/api/v1/admin/projections").exchange()
                .expectBody().jsonPath("$.type").value(type -> assertThat((String) type).startsWith("urn:siyu:problem:"));
    }

    @Test
    void anOverlongPathQueryOrHeaderIsRefusedAsOneOfOurs() {
        web.get().uri("/api/v1/members/" + memberId + "/points/history?before=" + "9".repeat(10_000)).exchange()
                .expectStatus().isEqualTo(414)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:uri-too-long")
                .jsonPath("$.maxLength").isEqualTo(8_192);
        web.post().uri("/api/v1/members/" + "m".repeat(9_000) + "/redemptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("redemptionId", "R-long", "points", 5, "reason", "x")).exchange()
                .expectStatus().isEqualTo(414)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:uri-too-long");
        web.get().uri("/api/v1/members/" + memberId + "/points").header("X-Padding", "p".repeat(20_000)).exchange()
                .expectStatus().isEqualTo(431)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:headers-too-large");
        assertThat(eventCount()).isEqualTo(eventsBefore);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() {
        web.post().uri("/api/v1/members/" + memberId + "/redemptions").contentType(MediaType.TEXT_PLAIN)
                .bodyValue("points=5").exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unsupported-media-type");
    }

    @Test
    void anUnknownMemberIs404ForWritesAndReads() {
        String unknown = UUID.randomUUID().toString();
        new Api(web).purchase(unknown, "O-1", 100).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-member")
                .jsonPath("$.memberId").isEqualTo(unknown);
        new Api(web).points(unknown).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-member");
        web.post().uri("/api/v1/members/" + unknown + "/check-ins").exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/members/by-openid/nobody-has-this").exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/members/" + "9".repeat(300) + "/points").exchange().expectStatus().isNotFound();
        assertThat(eventStore.readEvents(unknown).asStream().count()).isZero();
    }

    @Test
    void refusalsCarryTheNumbersACallerNeeds() {
        new Api(web).post("/api/v1/members/" + memberId + "/redemptions",
                        java.util.Map.of("redemptionId", "R-big", "points", 1_000, "reason", "x"))
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:insufficient-points")
                .jsonPath("$.balance").isEqualTo(100)
                .jsonPath("$.held").isEqualTo(0)
                .jsonPath("$.available").isEqualTo(100)
                .jsonPath("$.requested").isEqualTo(1_000);
        new Api(web).post("/api/v1/members/" + memberId + "/refunds",
                        java.util.Map.of("orderId", "O-1", "refundId", "F-big", "amountFen", 20_000))
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:refund-exceeds-purchase")
                .jsonPath("$.refundableFen").isEqualTo(10_000);
    }
}
