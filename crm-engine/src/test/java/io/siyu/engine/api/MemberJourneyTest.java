package io.siyu.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

@EngineTest
class MemberJourneyTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;

    private Api api() {
        return new Api(web);
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")).toString();
    }

    @Test
    void registerPurchaseCheckInRedeemAndReadThePoints() {
        Api api = api();
        String openid = Api.newOpenid();
        Map<?, ?> registered = web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", openid, "unionid", "u-" + openid, "phone", "13812345678",
                        "nickname", "小明"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/v1/members/[0-9a-f-]+")
                .expectBody(Map.class).returnResult().getResponseBody();
        String memberId = (String) registered.get("memberId");
        web.get().uri("/api/v1/members/by-openid/" + openid).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.memberId").isEqualTo(memberId).jsonPath("$.balance").isEqualTo(0);

        api.purchase(memberId, "O-1001", 12_850).expectStatus().isOk()
                .expectBody().json("{\"pointsEarned\":128,\"balance\":128,\"duplicate\":false}");
        api.post("/api/v1/members/" + memberId + "/check-ins", Map.of()).expectStatus().isOk()
                .expectBody().json("{\"streak\":1,\"pointsEarned\":5,\"alreadyCheckedIn\":false,\"balance\":133,"
                        + "\"today\":{\"streak\":1,\"pointsEarned\":5}}");
        api.post("/api/v1/members/" + memberId + "/redemptions",
                        Map.of("redemptionId", "R-1", "points", 100, "reason", "满100减10 coupon"))
                .expectStatus().isOk()
                .expectBody().json("{\"balance\":33}");

        api.points(memberId).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.memberId").isEqualTo(memberId)
                .jsonPath("$.balance").isEqualTo(33)
                .jsonPath("$.lifetimeEarned").isEqualTo(133)
                .jsonPath("$.lifetimeRedeemed").isEqualTo(100)
                .jsonPath("$.streak").isEqualTo(1)
                .jsonPath("$.lastCheckInDay").isEqualTo(today())
                .jsonPath("$.recent.length()").isEqualTo(3)
                .jsonPath("$.recent[0].kind").isEqualTo("redeemed")
                .jsonPath("$.recent[0].points").isEqualTo(-100)
                .jsonPath("$.recent[0].reason").isEqualTo("满100减10 coupon")
                .jsonPath("$.recent[1].kind").isEqualTo("earned")
                .jsonPath("$.recent[1].points").isEqualTo(5)
                .jsonPath("$.recent[2].points").isEqualTo(128)
                // the rule version in force when the sale happened: another test may have published one by then
                .jsonPath("$.recent[2].reason").value(reason -> assertThat((String) reason)
                        .matches("order O-1001 \\(rules v\\d+: base 1 pt/yuan on 128\\.50\\)"))
                .jsonPath("$.recent[2].at").isNotEmpty();
    }

    @Test
    void registeringTheSameOpenidAgainAnswersTheSameMemberWith200() {
        String openid = Api.newOpenid();
        String memberId = api().register(openid);
        api().post("/api/v1/members", Map.of("openid", openid)).expectStatus().isOk()
                .expectBody().jsonPath("$.memberId").isEqualTo(memberId);
    }

    @Test
    void everyWriteIsVisibleToTheVeryNextRead() {
        Api api = api();
        String memberId = api.register();
        api.points(memberId).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(0);
        for (int i = 1; i <= 10; i++) {
            api.purchase(memberId, "O-" + i, 100L * i).expectStatus().isOk();
            long expected = (long) i * (i + 1) / 2;
            api.points(memberId).expectStatus().isOk().expectBody().jsonPath("$.balance").isEqualTo(expected);
        }
        api.post("/api/v1/members/" + memberId + "/refunds", Map.of("orderId", "O-10", "refundId", "F-1",
                "amountFen", 500)).expectStatus().isOk().expectBody().json("{\"pointsReversed\":5,\"balance\":50}");
        api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(50)
                .jsonPath("$.recent[0].kind").isEqualTo("reversed")
                .jsonPath("$.recent[0].points").isEqualTo(-5);
    }

    @Test
    void aStreakGrowsDayByDayPaysTheDaySevenBonusAndASecondCheckInTheSameDayWritesNothing() {
        Api api = api();
        String memberId = api.register();
        String checkIns = "/api/v1/members/" + memberId + "/check-ins";
        long balance = 0;
        for (int day = 1; day <= 7; day++) {
            long points = day == 7 ? 25 : 5;
            balance += points;
            api.post(checkIns, Map.of()).expectStatus().isOk().expectBody()
                    .json("{\"streak\":" + day + ",\"pointsEarned\":" + points
                            + ",\"alreadyCheckedIn\":false,\"balance\":" + balance + "}");
            // a second tap earns nothing more: today's result is in "today"
            api.post(checkIns, Map.of()).expectStatus().isOk().expectBody()
                    .json("{\"streak\":" + day + ",\"pointsEarned\":0,\"alreadyCheckedIn\":true,\"balance\":"
                            + balance + ",\"today\":{\"streak\":" + day + ",\"pointsEarned\":" + points + "}}");
            api.points(memberId).expectBody().jsonPath("$.streak").isEqualTo(day)
                    .jsonPath("$.lastCheckInDay").isEqualTo(today());
            clock.advance(Duration.ofDays(1));
        }
        // A day has passed without a check-in since the 7th: the widget shows the streak as broken.
        clock.advance(Duration.ofDays(1));
        api.points(memberId).expectBody().jsonPath("$.streak").isEqualTo(0).jsonPath("$.balance").isEqualTo(55);
    }

    @Test
    void healthAndPrometheusAreExposed() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
        web.get().uri("/actuator/health/store").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.details.store").isEqualTo("embedded");
        String metrics = web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 << 20)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("siyu_projection_events_total");
    }
}
