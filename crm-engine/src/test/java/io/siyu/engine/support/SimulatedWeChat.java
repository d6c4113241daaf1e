package io.siyu.engine.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.wecom.simulator.WeChatSimulator;

/** One WeChat (Mini Program server API) simulator for the test JVM; engine tests sign members in through it. */
public final class SimulatedWeChat implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String APP_ID = "wx-siyu-test-app";
    public static final String SECRET = "siyu-miniapp-secret";
    public static final WeChatSimulator WECHAT = start();

    private static WeChatSimulator start() {
        try {
            return new WeChatSimulator(APP_ID, SECRET);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("siyu.miniapp.app-id=" + APP_ID, "siyu.miniapp.secret=" + SECRET,
                "siyu.miniapp.api-base-url=" + WECHAT.baseUrl()).applyTo(context);
    }
}
