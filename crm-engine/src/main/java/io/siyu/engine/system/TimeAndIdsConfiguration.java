package io.siyu.engine.system;

import java.time.Clock;
import java.util.UUID;

import org.axonframework.eventhandling.GenericEventMessage;
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
    InitializingBean axonEventClock(Clock clock) {
        return () -> GenericEventMessage.clock = clock;
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
