package io.siyu.engine.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.RenameCollectionOptions;

import io.siyu.engine.store.MongoEndpoint;
import io.siyu.projections.support.RebuildableProjection;

/**
 * Rebuilds a projection from the first event while the old read model keeps answering. The shadow processor
 * ({@code <group>.rebuild}) replays into {@code <collection>__rebuild}; progress (events done of the event store's
 * head, rate, ETA) is logged every five seconds and readable at any time. When the shadow has reached the live
 * processor's position, the live processor stops, the shadow finishes up to the same position, its collections
 * replace the live ones (a rename, atomic on MongoDB), the live processor takes over the shadow's token and starts
 * again. One rebuild per projection at a time; run it on one node.
 */
@Component
public class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    /** Where a rebuild stands. */
    public record Progress(String projection, String state, long eventsDone, long eventsTotal, double eventsPerSecond,
                           Long etaSeconds, Instant startedAt, Instant finishedAt, String failure) {
    }

    private final Map<String, RebuildableProjection> projections = new LinkedHashMap<>();
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final EventStore eventStore;
    private final MongoDatabase database;
    private final Clock clock;
    private final Map<String, AtomicReference<Progress>> progress = new LinkedHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "siyu-projection-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    ProjectionRebuilds(List<RebuildableProjection> projections, EventProcessingConfiguration processing,
                       TokenStore tokenStore, EventStore eventStore, MongoClient syncMongoClient,
                       MongoEndpoint endpoint, Clock clock) {
        projections.forEach(projection -> this.projections.put(projection.processingGroup(), projection));
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.eventStore = eventStore;
        this.database = syncMongoClient.getDatabase(endpoint.database());
        this.clock = clock;
        this.projections.keySet().forEach(name -> progress.put(name, new AtomicReference<>(
                new Progress(name, "idle", 0, 0, 0, null, null, null, null))));
    }

    /** @return the projections that can be rebuilt, with their last rebuild */
    public List<Progress> all() {
        return progress.values().stream().map(AtomicReference::get).toList();
    }

    public Optional<Progress> progress(String projection) {
        return Optional.ofNullable(progress.get(projection)).map(AtomicReference::get);
    }

    /**
     * Starts rebuilding a projection unless a rebuild of it is running.
     *
     * @return its progress, or empty when there is no such projection
     */
    public synchronized Optional<Progress> start(String name) {
        RebuildableProjection projection = projections.get(name);
        if (projection == null) {
            return Optional.empty();
        }
        AtomicReference<Progress> current = progress.get(name);
        if (current.get().state().equals("replaying") || current.get().state().equals("switching")) {
            return Optional.of(current.get());
        }
        Instant started = clock.instant();
        current.set(new Progress(name, "replaying", 0, head(), 0, null, started, null, null));
        runner.submit(() -> {
            try {
                rebuild(projection, current, started);
            } catch (Exception failure) {
                log.error("Rebuilding {} failed; the live read model is unchanged unless it says switched", name,
                        failure);
                Progress last = current.get();
                current.set(new Progress(name, "failed", last.eventsDone(), last.eventsTotal(), 0, null, started,
                        clock.instant(), failure.toString()));
            }
        });
        return Optional.of(current.get());
    }

    private void rebuild(RebuildableProjection projection, AtomicReference<Progress> current, Instant started)
            throws InterruptedException {
        String name = projection.processingGroup();
        TrackingEventProcessor live = processor(name);
        TrackingEventProcessor shadow = processor(name + ProjectionRebuildConfiguration.SHADOW_PROCESSOR);
        shadow.shutDown();
        List<String> existing = database.listCollectionNames().into(new ArrayList<>());
        for (String collection : projection.collections()) {
            if (existing.contains(shadowName(collection))) {
                database.getCollection(shadowName(collection)).drop();
            }
        }
        if (tokenStore.fetchSegments(shadow.getName()).length > 0) {
            shadow.resetTokens();
        }
        log.info("Rebuilding {}: replaying {} events into {}", name, head(),
                projection.collections().stream().map(ProjectionRebuilds::shadowName).toList());
        shadow.start();
        Instant lastLog = clock.instant();
        while (position(shadow) < position(live)) {
            Thread.sleep(POLL.toMillis());
            report(current, name, position(shadow), started, "replaying");
            if (Duration.between(lastLog, clock.instant()).compareTo(LOG_EVERY) >= 0) {
                lastLog = clock.instant();
                Progress now = current.get();
                log.info("Rebuilding {}: {} of {} events, {} events/s, ETA {} s", name, now.eventsDone(),
                        now.eventsTotal(), Math.round(now.eventsPerSecond()), now.etaSeconds());
            }
        }
        report(current, name, position(shadow), started, "switching");
        live.shutDown();
        long liveAt = position(tokenStore.fetchToken(name, 0));
        while (position(shadow) < liveAt) {
            Thread.sleep(POLL.toMillis());
        }
        shadow.shutDown();
        TrackingToken rebuilt = tokenStore.fetchToken(shadow.getName(), 0);
        for (String collection : projection.collections()) {
            replace(collection);
        }
        tokenStore.storeToken(rebuilt, name, 0);
        tokenStore.releaseClaim(name, 0);
        tokenStore.releaseClaim(shadow.getName(), 0);
        projection.switched();
        live.start();
        long done = position(rebuilt);
        Instant finished = clock.instant();
        double seconds = Math.max(0.001, Duration.between(started, finished).toMillis() / 1000.0);
        current.set(new Progress(name, "done", done, done, done / seconds, 0L, started, finished, null));
        log.info("Rebuilt {}: {} events in {} s ({} events/s); the rebuilt read model is live", name, done,
                Math.round(seconds), Math.round(done / seconds));
    }

    private void report(AtomicReference<Progress> current, String name, long done, Instant started, String state) {
        long total = head();
        double seconds = Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
        double rate = done / seconds;
        Long eta = rate <= 0 ? null : Math.round(Math.max(0, total - done) / rate);
        current.set(new Progress(name, state, done, total, rate, eta, started, null, null));
    }

    /** The shadow's collection takes the live one's name; a shadow that never wrote leaves the live one empty. */
    private void replace(String collection) {
        boolean rebuilt = database.listCollectionNames().into(new ArrayList<>())
                .contains(shadowName(collection));
        if (rebuilt) {
            database.getCollection(shadowName(collection)).renameCollection(
                    new MongoNamespace(database.getName(), collection), new RenameCollectionOptions().dropTarget(true));
        } else {
            database.getCollection(collection).deleteMany(new Document());
        }
    }

    private TrackingEventProcessor processor(String name) {
        return processing.eventProcessor(name, TrackingEventProcessor.class).orElseThrow(() ->
                new IllegalStateException("no tracking processor " + name));
    }

    /** @return the number of events before the processor's position (its token's index + 1) */
    private long position(TrackingEventProcessor processor) {
        OptionalLong tracked = processor.processingStatus().values().stream()
                .map(status -> status.getCurrentPosition()).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).max();
        if (tracked.isPresent()) {
            return tracked.getAsLong() + 1;
        }
        try {
            return position(tokenStore.fetchToken(processor.getName(), 0));
        } catch (UnableToClaimTokenException notYetThere) {
            return 0;
        }
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(-1) + 1;
    }

    private long head() {
        return position(eventStore.createHeadToken());
    }

    private static String shadowName(String collection) {
        return collection + ProjectionRebuildConfiguration.SHADOW_SUFFIX;
    }
}
