package io.siyu.engine.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import io.siyu.engine.axon.CommandProperties;
import reactor.core.publisher.Mono;

/**
 * Sends a command from the HTTP edge: the command bus runs the handler on its own threads, the edge only waits for
 * the answer, with a timeout. A command the bus refused (queue full) wrote nothing; one the edge stopped waiting for
 * may still run, and is answered as pending ({@link CommandPendingException}).
 */
@Component
public class CommandDispatch {

    private final CommandGateway commandGateway;
    private final CommandProperties properties;

    CommandDispatch(CommandGateway commandGateway, CommandProperties properties) {
        this.commandGateway = commandGateway;
        this.properties = properties;
    }

    public <R> Mono<R> send(Object command) {
        return Mono.<R>fromFuture(() -> commandGateway.send(command)).timeout(properties.timeout())
                .onErrorMap(java.util.concurrent.TimeoutException.class, CommandPendingException::new);
    }
}
