package io.siyu.engine.system;

import java.time.Clock;
import java.util.UUID;

import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.engine.checkin.BusinessCalendar;

/** The one clock and the one id source of the engine. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SystemProperties.class)
class TimeAndIdsConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Axon stamps events with its own static clock; pointing it at the bean keeps event time and decision time one. */
    @Bean
    AxonEventClock axonEventClock(Clock clock) {
        return new AxonEventClock(clock);
    }

    /** Sets Axon's static event clock while this context runs and gives the previous one back when it closes. */
    static final class AxonEventClock implements InitializingBean, DisposableBean {

        private final Clock clock;
        private Clock previous;

        AxonEventClock(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void afterPropertiesSet() {
            previous = GenericEventMessage.clock;
            GenericEventMessage.clock = clock;
        }

        @Override
        public void destroy() {
            GenericEventMessage.clock = previous;
        }
    }

    @Bean
    IdSource idSource() {
        return () -> UUID.randomUUID().toString();
    }

    @Bean
    BusinessCalendar businessCalendar(SystemProperties properties) {
        return new BusinessCalendar(properties.businessZone());
    }
}
