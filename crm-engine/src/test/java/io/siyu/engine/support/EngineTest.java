package io.siyu.engine.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.reactive.server.WebTestClientBuilderCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ContextConfiguration;

import io.siyu.engine.SiyuApplication;

/**
 * The whole engine on a random HTTP port, talking over the wire to an in-memory embedded MongoDB on a random port.
 * Every test class with this annotation shares one running engine; tests keep apart by using their own members.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = SiyuApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"siyu.embedded.in-memory=true", "siyu.commands.timeout=30s", "siyu.schedule.poll-interval=200ms",
                "siyu.segments.refresh-interval=200ms",
                "siyu.campaigns.tick=200ms", "siyu.campaigns.poll-interval=200ms",
                // Netty's graceful shutdown kept the test JVM 30 s after the last test with every request completed
                // (checked in the request log): idle pooled client connections, not work, were being waited for
                "server.shutdown=immediate",
                "siyu.wecom.corp-id=" + EngineTest.WECOM_CORP, "siyu.wecom.token=" + EngineTest.WECOM_TOKEN,
                "siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY,
                // behaviour tests send many check-ins and redemptions for one member; RateLimitTest moves the clock
                "siyu.access.rate-limits.check-ins-per-minute=100000",
                "siyu.access.rate-limits.redemptions-per-minute=100000",
                "siyu.access.rate-limits.logins-per-minute=100000",
                "siyu.access.first-operator=false",
                // engine tests share one WeCom simulator: a run over every test's contacts would write into all of
                // them; WeComReconciliationTest runs its own engine and simulator
                "siyu.wecom.reconciliation.enabled=false",
                "siyu.wecom.non-member.app-id=wx-siyu-test", "siyu.wecom.non-member.page=pages/join/index",
                // tests move the shared clock by up to ~400 days: the callback log's retention must not prune what a
                // later step of a test still re-links (CallbackRetentionTest dates its callbacks back 20 years)
                "siyu.wecom.callback-log.retention=3650d"})
@AutoConfigureObservability(tracing = false)
@Import(EngineTest.Clocks.class)
@ContextConfiguration(initializers = {SimulatedWeCom.class, SimulatedWeChat.class})
@ExtendWith(PinnedEventClock.class)
public @interface EngineTest {

    /** The WeCom corp every engine test is configured for (the simulator seals callbacks with the same). */
    String WECOM_CORP = "ww-siyu-test";
    String WECOM_TOKEN = "siyuToken2026";
    String WECOM_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    @TestConfiguration(proxyBeanMethods = false)
    class Clocks {

        /**
         * One clock for every engine context in the test JVM: Axon stamps events with a static clock, which the last
         * context started points at its own clock bean, so contexts with different clocks would stamp each other's
         * events with the wrong time.
         */
        @Bean
        TestClock testClock() {
            return TestClock.SHARED;
        }

        @Bean
        @Primary
        Clock engineClock(TestClock testClock) {
            return testClock;
        }

        /** Tests about behaviour call as a caller each route admits; tests about access set their own header. */
        @Bean
        AllowedCallers allowedCallers(ApplicationContext engine) {
            return AllowedCallers.of(engine);
        }

        @Bean
        WebTestClientBuilderCustomizer asAllowedCallers(AllowedCallers callers) {
            return builder -> builder.filter(callers);
        }
    }
}
