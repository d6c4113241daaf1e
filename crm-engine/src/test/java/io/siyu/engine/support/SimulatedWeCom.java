package io.siyu.engine.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.wecom.simulator.WeComSimulator;

/** One WeCom simulator for the test JVM; engine tests talk to it as their WeCom (API base URL and secret). */
public final class SimulatedWeCom implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String SECRET = "siyu-contact-secret";
    public static final WeComSimulator WECOM = start();

    private static WeComSimulator start() {
        try {
            WeComSimulator wecom = new WeComSimulator(EngineTest.WECOM_CORP, SECRET);
            wecom.clock(TestClock.SHARED); // WeCom's send times and receive-limit days move with the engines' clock
            return wecom;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("siyu.wecom.secret=" + SECRET, "siyu.wecom.agent-id=1000002",
                "siyu.wecom.api-base-url=" + WECOM.baseUrl()).applyTo(context);
    }
}
