package io.siyu.engine.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.siyu.engine.SiyuApplication;

/**
 * The whole engine on a random HTTP port, talking over the wire to an in-memory embedded MongoDB on a random port.
 * Every test class with this annotation shares one running engine; tests keep apart by using their own members.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = SiyuApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"siyu.embedded.in-memory=true", "siyu.commands.timeout=30s", "siyu.schedule.poll-interval=200ms"})
@AutoConfigureObservability(tracing = false)
@Import(EngineTest.Clocks.class)
public @interface EngineTest {

    @TestConfiguration(proxyBeanMethods = false)
    class Clocks {

        @Bean
        TestClock testClock() {
            return new TestClock();
        }

        @Bean
        @Primary
        Clock engineClock(TestClock testClock) {
            return testClock;
        }
    }
}
