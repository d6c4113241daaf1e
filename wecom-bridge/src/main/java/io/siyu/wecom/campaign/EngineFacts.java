package io.siyu.wecom.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * Records campaign facts on the members' streams, many at a time (at most {@link #IN_FLIGHT} commands waiting), and
 * returns only when every one was recorded — or throws, and the caller does the step again: each fact is keyed, so
 * one recorded before is not recorded twice.
 */
@Component
class EngineFacts {

    static final int IN_FLIGHT = 64;

    private final CommandGateway commands;

    EngineFacts(CommandGateway commands) {
        this.commands = commands;
    }

    void record(List<?> facts) {
        if (facts.isEmpty()) {
            return;
        }
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Object>> sent = new ArrayList<>(facts.size());
        for (Object fact : facts) {
            inFlight.acquireUninterruptibly();
            sent.add(commands.send(fact).whenComplete((result, failure) -> inFlight.release()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }

    /** One fact, waiting for it. */
    <R> R send(Object command) {
        return commands.sendAndWait(command);
    }
}
