package io.siyu.projections.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes a processor batch's queued read-model changes before the batch's tracking token is stored. Axon's tracking
 * processor stores the token in a prepare-commit handler it registers at the batch's first event, so a flush
 * registered later would run after it: with no transaction around both, a failed flush would leave the token past
 * events that were never applied. The engine's processor interceptor calls {@link #run} after the batch's last event
 * (still inside event handling, so a failure rolls the batch back and the processor retries it, token unmoved).
 */
public final class BatchFlush {

    private static final String KEY = BatchFlush.class.getName();

    private BatchFlush() {
    }

    /** Registers a flush for the batch; outside a processor batch (a dead-letter retry) it runs at prepare-commit. */
    public static void register(UnitOfWork<?> batch, Runnable flush) {
        if (batch instanceof BatchingUnitOfWork<?>) {
            List<Runnable> flushes = batch.getResource(KEY);
            if (flushes == null) {
                flushes = new ArrayList<>();
                batch.resources().put(KEY, flushes);
            }
            flushes.add(flush);
        } else {
            batch.onPrepareCommit(unitOfWork -> flush.run());
        }
    }

    /**
     * The current batch's queued changes under {@code key}: at the batch's first change a list is made and
     * {@code flush} registered to write it (with {@link #register}).
     */
    public static <T> List<T> pending(String key, Consumer<List<T>> flush) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<T> changes = batch.getResource(key);
        if (changes == null) {
            // not inside getOrComputeResource: registering the flush adds a resource to the same map
            List<T> created = new ArrayList<>();
            batch.resources().put(key, created);
            register(batch, () -> flush.accept(created));
            changes = created;
        }
        return changes;
    }

    /** Runs the batch's registered flushes if {@code unitOfWork} is at the batch's last event. */
    public static void run(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        if (batch instanceof BatchingUnitOfWork<?> batching && batching.isLastMessage()) {
            List<Runnable> flushes = batch.getResource(KEY);
            if (flushes != null) {
                for (Runnable flush : flushes) {
                    flush.run();
                }
                flushes.clear();
            }
        }
    }
}
