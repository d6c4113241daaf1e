package io.siyu.engine.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run again and again, an interval after each run ends, on one daemon thread of its own between
 * {@link #start()} and {@link #stop()}. A run that fails is logged and the next one tries again.
 */
public final class Repeating {

    private static final Logger log = LoggerFactory.getLogger(Repeating.class);

    private final String name;
    private final Duration interval;
    private final Runnable task;
    private ScheduledExecutorService executor;

    /** @param name names the thread and the log lines */
    public Repeating(String name, Duration interval, Runnable task) {
        this.name = name;
        this.interval = interval;
        this.task = task;
    }

    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException failure) {
                log.warn("{} failed, will retry: {}", name, failure.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts a run in progress and runs no more. */
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    public synchronized boolean isRunning() {
        return executor != null;
    }
}
