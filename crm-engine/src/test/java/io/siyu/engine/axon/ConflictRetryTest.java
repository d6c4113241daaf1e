package io.siyu.engine.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A command that lost a race is sent again; a refusal is not. */
class ConflictRetryTest {

    record Ping(String id) {
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private CommandGateway gatewayFailing(AtomicInteger attempts, int failures, RuntimeException failure) {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(Ping.class.getName(), command -> {
            if (attempts.incrementAndGet() <= failures) {
                throw failure;
            }
            return "pong";
        });
        return DefaultCommandGateway.builder().commandBus(bus)
                .retryScheduler(new ConflictRetryScheduler(executor, 3, 1)).build();
    }

    @Test
    void aCommandThatLostARaceIsSentAgainAndSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        CommandGateway gateway = gatewayFailing(attempts, 2, new ConcurrencyException("lost the race"));
        assertThat((String) gateway.sendAndWait(new Ping("a"))).isEqualTo("pong");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aRaceToCreateTheSameAggregateIsRetriedToo() {
        AtomicInteger attempts = new AtomicInteger();
        CommandGateway gateway = gatewayFailing(attempts, 1, new AggregateStreamCreationException("created meanwhile"));
        assertThat((String) gateway.sendAndWait(new Ping("a"))).isEqualTo("pong");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void retriesAreBoundedThenTheConflictReachesTheCaller() {
        AtomicInteger attempts = new AtomicInteger();
        CommandGateway gateway = gatewayFailing(attempts, 100, new ConcurrencyException("always losing"));
        assertThatThrownBy(() -> gateway.sendAndWait(new Ping("a"))).isInstanceOf(ConcurrencyException.class);
        assertThat(attempts).hasValue(4);
    }

    @Test
    void aRefusalIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        CommandGateway gateway = gatewayFailing(attempts, 100, new IllegalStateException("insufficient points"));
        assertThatThrownBy(() -> gateway.sendAndWait(new Ping("a"))).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }
}
