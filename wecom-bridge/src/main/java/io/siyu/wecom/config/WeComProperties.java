package io.siyu.wecom.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The corp's WeCom settings. Without a corp id, token and EncodingAESKey the engine runs without WeCom and says so.
 *
 * @param corpId         the corp id (callbacks must be addressed to it)
 * @param token          the callback token
 * @param encodingAesKey the callback EncodingAESKey (43 characters)
 * @param secret         the customer-contact secret for API calls
 * @param agentId        the self-built app's agent id
 * @param apiBaseUrl     where WeCom's API is (the simulator's address in tests)
 * @param callbackWindow how far a callback's timestamp may be from now (replayed old callbacks are refused)
 * @param welcome        the welcome message for a new contact who is a member: {@code {tier}}, {@code {tierEn}} and
 *                       {@code {points}} are filled in; empty sends none
 * @param callsPerSecond outbound calls per second at most, below WeCom's per-API quota (10,000 a minute)
 * @param translationLanes callbacks translated at once (one person's or group's callbacks always in order)
 */
@ConfigurationProperties(prefix = "siyu.wecom")
public record WeComProperties(String corpId,
                              String token,
                              String encodingAesKey,
                              String secret,
                              Integer agentId,
                              @DefaultValue("https://qyapi.weixin.qq.com") String apiBaseUrl,
                              @DefaultValue("5m") Duration callbackWindow,
                              @DefaultValue("欢迎加入！您是{tier}会员，当前积分 {points}。") String welcome,
                              @DefaultValue("100") int callsPerSecond,
                              @DefaultValue("4") int translationLanes) {

    public WeComProperties {
        if (translationLanes < 1) {
            throw new IllegalArgumentException("siyu.wecom.translation-lanes must be at least 1");
        }
    }

    /** @return whether WeCom's API can be called: corp id and secret are set */
    public boolean apiConfigured() {
        return present(corpId) && present(secret);
    }

    /** @return whether callbacks can be verified: corp id, token and EncodingAESKey are all set */
    public boolean callbacksConfigured() {
        return present(corpId) && present(token) && present(encodingAesKey);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
