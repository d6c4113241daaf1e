package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.AllowedCallers;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.support.Api;

/** The engine on the embedded store's file: stopped and started again, it has lost and redone nothing. */
class RestartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SiyuApplication.class)
                .run("--server.port=0", "--siyu.data-dir=" + dataDir, "--siyu.embedded.in-memory=false");
    }

    private static Api api(ConfigurableApplicationContext engine) {
        String port = engine.getEnvironment().getProperty("local.server.port");
        return new Api(WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .filter(AllowedCallers.of(engine)).build(), engine.getBean(java.time.Clock.class));
    }

    private static double projected(ConfigurableApplicationContext engine, String outcome) {
        return engine.getBean(MeterRegistry.class)
                .counter("siyu.projection.events", "group", "member-points", "outcome", outcome).count();
    }

    @Test
    void aRestartOnTheSameDataDirectoryKeepsTheBalanceAndHandlesNoEventTwice() {
        String memberId;
        long eventsBefore;
        try (ConfigurableApplicationContext engine = start()) {
            Api api = api(engine);
            memberId = api.register();
            api.purchase(memberId, "O-1", 12_850).expectStatus().isOk();
            api.post("/api/v1/members/" + memberId + "/check-ins", java.util.Map.of()).expectStatus().isOk();
            api.post("/api/v1/members/" + memberId + "/redemptions",
                    java.util.Map.of("redemptionId", "R-1", "points", 28, "reason", "coupon")).expectStatus().isOk();
            api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(105);
            eventsBefore = engine.getBean(EventStore.class).readEvents(memberId).asStream().count();
            assertThat(projected(engine, "applied")).isEqualTo(eventsBefore);
            MeterRegistry meters = engine.getBean(MeterRegistry.class);
            double writes = meters.get("siyu.embedded.store.writes").functionCounter().count();
            double commits = meters.get("siyu.embedded.store.commits").functionCounter().count();
            assertThat(writes).isPositive();
            assertThat(commits).isPositive().isLessThanOrEqualTo(writes);
        }
        assertThat(Files.exists(dataDir.resolve(EmbeddedMongo.STORE_FILE))).isTrue();

        try (ConfigurableApplicationContext engine = start()) {
            Api api = api(engine);
            api.points(memberId).expectStatus().isOk().expectBody()
                    .jsonPath("$.balance").isEqualTo(105)
                    .jsonPath("$.lifetimeEarned").isEqualTo(133)
                    .jsonPath("$.recent.length()").isEqualTo(3);
            assertThat(engine.getBean(EventStore.class).readEvents(memberId).asStream().count())
                    .isEqualTo(eventsBefore);

            // A new purchase is handled after anything the processor would wrongly redo, so once it is visible
            // the counters tell whether an old event came through again.
            api.purchase(memberId, "O-2", 1_000).expectStatus().isOk().expectBody().jsonPath("$.balance")
                    .isEqualTo(115);
            api.points(memberId).expectBody().jsonPath("$.balance").isEqualTo(115);
            assertThat(projected(engine, "applied")).isEqualTo(2);
            assertThat(projected(engine, "skipped")).isZero();

            // The same order again after the restart: remembered, not doubled.
            api.purchase(memberId, "O-1", 12_850).expectStatus().isOk().expectBody()
                    .jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.pointsEarned").isEqualTo(128);
        }
    }
}
