package io.siyu.wecom.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * The raw callback log keeps what replay needs for {@code siyu.wecom.callback-log.retention} (180 days): after it a
 * translated callback keeps only its dedupe key, kind, WeCom's time, when it came and its outcome — the decrypted XML
 * (external user ids, chat ids, states) is dropped — and the notes of people never linked to a member
 * ({@code wecom_unlinked}) go too. Work still pending is never pruned. Runs after start-up and daily; each run reads
 * the log by its receipt time (an index on MongoDB; a scan on the embedded store, once a day).
 */
@Component
public class CallbackRetention implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CallbackRetention.class);

    /** The retention setting. */
    @ConfigurationProperties(prefix = "siyu.wecom.callback-log")
    public record Settings(@DefaultValue("180d") Duration retention) {
    }

    private final MongoCollection<Document> callbacks;
    private final MongoCollection<Document> unlinked;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService daily = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-callback-retention");
        thread.setDaemon(true);
        return thread;
    });

    CallbackRetention(MongoDatabase reactiveMongoDatabase, Clock clock, Settings settings) {
        this.callbacks = reactiveMongoDatabase.getCollection(CallbackLog.COLLECTION);
        this.unlinked = reactiveMongoDatabase.getCollection("wecom_unlinked");
        this.clock = clock;
        this.retention = settings.retention();
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        Mono.from(callbacks.createIndex(new Document("receivedAt", 1))).onErrorResume(any -> Mono.empty()).block();
        daily.scheduleWithFixedDelay(() -> {
            try {
                prune();
            } catch (RuntimeException failure) {
                log.warn("Pruning the WeCom callback log failed, trying again tomorrow: {}", failure.toString());
            }
        }, 1, TimeUnit.DAYS.toMinutes(1), TimeUnit.MINUTES);
    }

    /** @return how many callbacks were cut down to their key and outcome */
    public long prune() {
        Date cutoff = Date.from(clock.instant().minus(retention));
        long pruned = Mono.from(callbacks.updateMany(Filters.and(Filters.lt("receivedAt", cutoff),
                Filters.eq("translated", true), Filters.exists("xml", true)), Updates.combine(Updates.unset("xml"),
                Updates.set("pruned", true)))).block().getModifiedCount();
        long notes = Mono.from(unlinked.deleteMany(Filters.lt("lastAt", cutoff))).block().getDeletedCount();
        if (pruned > 0 || notes > 0) {
            log.info("WeCom callback log: {} callbacks older than {} days cut to their key and outcome, {} notes of "
                    + "people never linked dropped", pruned, retention.toDays(), notes);
        }
        return pruned;
    }

    /** @return the instant before which callbacks are pruned now */
    Instant cutoff() {
        return clock.instant().minus(retention);
    }

    @Override
    public void destroy() {
        daily.shutdownNow();
    }
}
