package io.siyu.engine.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Mini Program whose users sign in ({@code siyu.miniapp.*}); without an app id the login routes answer 503.
 *
 * @param appId      the Mini Program's AppID
 * @param secret     its AppSecret
 * @param apiBaseUrl where WeChat's API is (a simulator's in tests)
 */
@ConfigurationProperties(prefix = "siyu.miniapp")
public record MiniProgramProperties(String appId, String secret,
                                    @DefaultValue("https://api.weixin.qq.com") String apiBaseUrl) {

    public boolean configured() {
        return appId != null && !appId.isBlank();
    }
}
