package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeCom;
import io.siyu.engine.support.TestClock;
import io.siyu.engine.support.WeComCallbacks;

/**
 * A member who becomes a WeCom contact is welcomed with their tier and points, once, through WeCom's rate limits;
 * a welcome WeCom says was already sent is not sent again.
 */
@EngineTest
class WelcomeMessageTest {

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    MongoClient syncMongoClient;
    @Autowired
    MongoEndpoint endpoint;

    @Test
    void aNewContactIsWelcomedWithTierAndPointsOnceAfterTwoRateLimitAnswers() {
        Api api = new Api(web);
        String external = "wm-welcome-" + System.nanoTime();
        String member = registered(external);
        api.purchaseAt(member, "O-1", 12_800, clock.instant().minusSeconds(60)).expectStatus().isOk();
        long points = ((Number) api.get("/api/v1/members/" + member + "/points").get("balance")).longValue();
        String code = "WC-" + System.nanoTime();
        SimulatedWeCom.WECOM.failWelcomes(2, 45009);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        String added = addedWithWelcomeCode(external, code, callbacks.now());
        callbacks.deliver(added);
        callbacks.deliver(added);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(SimulatedWeCom.WECOM.welcomes())
                .containsEntry(code, "欢迎加入！您是普卡会员，当前积分 " + points + "。"));
        assertThat(outbox(code)).containsEntry("status", "sent");
    }

    @Test
    void aWelcomeWeComSaysWasSentAlreadyIsFinal() {
        String external = "wm-welcome-done-" + System.nanoTime();
        registered(external);
        String code = "WC-done-" + System.nanoTime();
        SimulatedWeCom.WECOM.failWelcomes(1, 41051);
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        int callsBefore = SimulatedWeCom.WECOM.welcomeCalls();
        callbacks.deliver(addedWithWelcomeCode(external, code, callbacks.now()));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(outbox(code))
                .containsEntry("status", "already-sent"));
        assertThat(SimulatedWeCom.WECOM.welcomeCalls() - callsBefore).isEqualTo(1);
        assertThat(SimulatedWeCom.WECOM.welcomes()).doesNotContainKey(code);
    }

    /**
     * A new contact who is no member — the usual acquisition case — is greeted with the invitation and a Mini Program
     * card whose cover was uploaded once ({@code media/upload}) and is reused; a member added by a node whose clock
     * runs 25 s ahead of WeCom's still gets the personalised welcome (the 20 s count from when the callback came).
     */
    @Test
    void aNonMemberIsInvitedWithAMiniProgramCardAndASkewedClockExpiresNothing() {
        WeComCallbacks callbacks = new WeComCallbacks(web, clock);
        String stranger = "wm-stranger-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(stranger, "u-stranger-" + System.nanoTime());
        String code = "WC-stranger-" + System.nanoTime();
        callbacks.deliver(addedWithWelcomeCode(stranger, code, callbacks.now()));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(SimulatedWeCom.WECOM.welcomes())
                .containsEntry(code, "您好！注册会员即可领取积分，享专属礼遇。"));
        assertThat(SimulatedWeCom.WECOM.welcomeAttachments(code)).contains("\"msgtype\":\"miniprogram\"")
                .contains("\"appid\":\"wx-siyu-test\"").contains("\"page\":\"pages/join/index\"")
                .contains("\"pic_media_id\":\"sim-media-");
        int uploads = SimulatedWeCom.WECOM.uploads();
        String another = "wm-stranger-2-" + System.nanoTime();
        SimulatedWeCom.WECOM.externalContact(another, "u-stranger-2-" + System.nanoTime());
        String second = "WC-stranger-2-" + System.nanoTime();
        callbacks.deliver(addedWithWelcomeCode(another, second, callbacks.now()));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(SimulatedWeCom.WECOM.welcomes())
                .containsKey(second));
        assertThat(SimulatedWeCom.WECOM.uploads()).as("the cover is uploaded once and kept").isEqualTo(uploads);

        String external = "wm-welcome-skew-" + System.nanoTime();
        registered(external);
        String skewed = "WC-skew-" + System.nanoTime();
        callbacks.deliver(addedWithWelcomeCode(external, skewed,
                String.valueOf(clock.instant().getEpochSecond() - 25)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(SimulatedWeCom.WECOM.welcomes())
                .containsKey(skewed));
        assertThat(SimulatedWeCom.WECOM.welcomes().get(skewed)).startsWith("欢迎加入！您是普卡会员");
        assertThat(outbox(skewed)).containsEntry("status", "sent");
    }

    private String registered(String external) {
        String unionid = "u-w-" + System.nanoTime();
        String member = new Api(web).registerWith(unionid, null);
        SimulatedWeCom.WECOM.externalContact(external, unionid);
        return member;
    }

    private org.bson.Document outbox(String code) {
        return syncMongoClient.getDatabase(endpoint.database()).getCollection("wecom_outbox")
                .find(Filters.eq("welcomeCode", code)).first();
    }

    private static String addedWithWelcomeCode(String external, String code, String createTime) {
        return WeComCallbacks.contact("add_external_contact", "staff-7", external, "store-SH-001", createTime)
                .replace("</xml>", "<WelcomeCode><![CDATA[" + code + "]]></WelcomeCode></xml>");
    }
}
