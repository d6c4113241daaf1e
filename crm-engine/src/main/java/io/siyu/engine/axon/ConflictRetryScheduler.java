package io.siyu.engine.axon;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Sends a command again when it lost an optimistic-concurrency race on its member (another node appended first):
 * nothing was written, and the command decides again on the newer state. Every other failure (refusals, store
 * errors) is final and goes back to the caller at once. Retries are few and spaced, then the caller gets 409.
 */
final class ConflictRetryScheduler implements RetryScheduler {

    private final ScheduledExecutorService executor;
    private final int maxRetries;
    private final long intervalMillis;

    ConflictRetryScheduler(ScheduledExecutorService executor, int maxRetries, long intervalMillis) {
        this.executor = executor;
        this.maxRetries = maxRetries;
        this.intervalMillis = intervalMillis;
    }

    static boolean isConflict(Throwable failure) {
        return failure instanceof ConcurrencyException || failure instanceof AggregateStreamCreationException;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
        if (!isConflict(lastFailure) || failures.size() > maxRetries) {
            return false;
        }
        try {
            executor.schedule(commandDispatch, intervalMillis * failures.size(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RuntimeException shuttingDown) {
            return false;
        }
    }
}
