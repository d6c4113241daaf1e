package io.siyu.engine.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Work run again and again, an interval after each run ends, on one daemon thread of its own while the application
 * runs. It starts after the command bus and the processors and stops before them. A run that fails is logged and
 * the next one tries again.
 */
public abstract class Repeating implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Repeating.class);

    private final String name;
    private final Duration interval;
    private ScheduledExecutorService executor;

    /** @param name names the thread and the log lines */
    protected Repeating(String name, Duration interval) {
        this.name = name;
        this.interval = interval;
    }

    /** One run of the work. */
    protected abstract void runOnce();

    /** Called on the starting thread before the first run is scheduled. */
    protected void beforeStart() {
    }

    @Override
    public synchronized void start() {
        beforeStart();
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException failure) {
                log.warn("{} failed, will retry: {}", name, failure.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts a run in progress and runs no more. */
    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
