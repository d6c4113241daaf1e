package io.siyu.engine.demo;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Conditional;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;

import com.mongodb.client.MongoClient;

import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.schedule.DueWork;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.web.CommandDispatch;

/**
 * With {@code siyu.demo.members} above 0, on a store without events, the engine starts its clock
 * {@code siyu.demo.days} in the past and makes demo data ({@link DemoData}) once it is up, walking that clock to
 * today. On a store that has events the clock is the wall clock from the start and no demo data is made.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoProperties.class)
@Conditional(DemoRequested.class)
class DemoConfiguration {

    /** Whether the event store was empty when the engine started (read once, before anything could write). */
    record EmptyStore(boolean empty) {
    }

    @Bean
    EmptyStore demoEmptyStore(MongoClient syncMongoClient, MongoEndpoint endpoint) {
        return new EmptyStore(syncMongoClient.getDatabase(endpoint.database()).getCollection("events").find()
                .limit(1).first() == null);
    }

    @Bean
    @Primary
    DemoClock demoClock(DemoProperties properties, EmptyStore store) {
        return new DemoClock(Clock.systemUTC(), store.empty() ? Duration.ofDays(properties.days()) : Duration.ZERO);
    }

    @Bean
    DemoData demoData(DemoProperties properties, DemoClock clock, CommandDispatch dispatch,
                      MemberIdentities identities, DueWork dueWork, SystemProperties system, EmptyStore store) {
        return new DemoData(properties, clock, dispatch, identities, dueWork, system.businessZone(), store.empty());
    }

    /** The demo runs beside the serving engine, so its progress can be followed over HTTP. */
    @EventListener(ApplicationReadyEvent.class)
    void start(ApplicationReadyEvent ready) {
        DemoData demo = ready.getApplicationContext().getBean(DemoData.class);
        Thread thread = new Thread(demo::run, "siyu-demo");
        thread.setDaemon(true);
        thread.start();
    }
}
