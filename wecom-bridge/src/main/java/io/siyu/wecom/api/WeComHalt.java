package io.siyu.wecom.api;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * WeCom work stopped for an operator: set when WeCom answers an operator errcode ({@link WeComErrors}), read by the
 * outbox and translation before each attempt (a halted node attempts nothing and counts nothing). While halted, WeCom
 * is probed every minute with a fresh token request; the first success lifts the halt. Gauge
 * {@code siyu_wecom_halted}: 0, or the errcode work stopped on.
 */
@Component
public class WeComHalt implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WeComHalt.class);

    private final AtomicInteger errcode = new AtomicInteger();
    private final WeComApi api;
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long probeMillis = 60_000;
    private final java.util.List<Runnable> onResume = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WeComHalt(WeComApi api, MeterRegistry meters) {
        this.api = api;
        Gauge.builder("siyu.wecom.halted", errcode, AtomicInteger::get)
                .description("0, or the WeCom errcode that stopped the bridge's work until an operator fixes it")
                .register(meters);
    }

    /** @return whether WeCom work is stopped for an operator */
    public boolean halted() {
        return errcode.get() != 0;
    }

    /** Stops WeCom work for an operator errcode and starts probing (once per halt). */
    public void halt(int code) {
        if (errcode.compareAndSet(0, code)) {
            log.error("WeCom answered errcode {} ({}): the bridge stops sending and translating until it answers "
                    + "again; fix the configuration (siyu.wecom.*)", code, WeComErrors.operatorReason(code));
            scheduleProbe();
        }
    }

    /** Runs {@code work} when a halt lifts (the outbox and translation pick up what waited). */
    public void onResume(Runnable work) {
        onResume.add(work);
    }

    /** How often a halted bridge probes WeCom (tests shorten it). */
    public void probeEvery(java.time.Duration interval) {
        this.probeMillis = interval.toMillis();
    }

    private void scheduleProbe() {
        if (!probe.isShutdown()) {
            probe.schedule(this::tryWeCom, probeMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void tryWeCom() {
        try {
            api.probe();
            int was = errcode.getAndSet(0);
            log.warn("WeCom answers again (it had refused with errcode {}): the bridge's work resumes", was);
            onResume.forEach(Runnable::run);
        } catch (Exception stillRefused) {
            scheduleProbe();
        }
    }

    @Override
    public void destroy() {
        probe.shutdownNow();
    }
}
