package io.siyu.engine.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.siyu.engine.system.IdSource;

/**
 * A rotation of the master key: with the new key configured as current and the old one among the previous ones, a run
 * re-wraps every member's data key under the new one, page by page in member id order, and records its progress in
 * {@code key_rotations}. Events are not touched (their fields are sealed with the data keys, which do not change).
 * Once a run is done the old key can be dropped from the configuration. One run at a time on a node; a run stopped
 * half-way is simply started again (what it re-wrapped is skipped).
 */
@Component
public class KeyRotation implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
    static final String COLLECTION = "key_rotations";
    private static final int PAGE = 500;

    private final MemberDataKeys keys;
    private final MasterKeys masters;
    private final MongoCollection<Document> runs;
    private final IdSource ids;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-key-rotation");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String running;

    KeyRotation(MemberDataKeys keys, MasterKeys masters, MongoDatabase syncMongoDatabase, IdSource ids, Clock clock) {
        this.keys = keys;
        this.masters = masters;
        this.runs = syncMongoDatabase.getCollection(COLLECTION);
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * A run's progress.
     *
     * @param rotationId  the run
     * @param state       {@code running}, {@code done} or {@code failed}
     * @param masterKeyId the master key data keys are re-wrapped under
     * @param read        data keys looked at so far (erased members' tombstones included)
     * @param rewrapped   data keys re-wrapped so far
     * @param othersRetired once done: whether no data key is wrapped by another master key any more, so the earlier
     *                      keys may be removed from the configuration
     * @param lastError   why it failed, when it did
     */
    public record Run(String rotationId, String state, String masterKeyId, long read, long rewrapped,
                      Instant startedAt, Instant finishedAt, Boolean othersRetired, String lastError) {
    }

    /** Starts a run, or answers the one this node is running. */
    public synchronized Run start() {
        if (running != null) {
            return find(running).orElseThrow();
        }
        String rotationId = "kr-" + ids.nextId();
        runs.insertOne(new Document("_id", rotationId).append("state", "running")
                .append("masterKeyId", masters.currentId()).append("read", 0L).append("rewrapped", 0L)
                .append("startedAt", Date.from(clock.instant())));
        running = rotationId;
        runner.execute(() -> run(rotationId));
        return find(rotationId).orElseThrow();
    }

    public Optional<Run> find(String rotationId) {
        return Optional.ofNullable(runs.find(Filters.eq("_id", rotationId)).first()).map(run -> new Run(
                run.getString("_id"), run.getString("state"), run.getString("masterKeyId"),
                ((Number) run.get("read")).longValue(), ((Number) run.get("rewrapped")).longValue(),
                run.getDate("startedAt").toInstant(),
                run.getDate("finishedAt") == null ? null : run.getDate("finishedAt").toInstant(),
                run.getBoolean("othersRetired"), run.getString("lastError")));
    }

    private void run(String rotationId) {
        try {
            String after = null;
            while (true) {
                MemberDataKeys.RewrapPage page = keys.rewrap(after, PAGE);
                runs.updateOne(Filters.eq("_id", rotationId), Updates.combine(Updates.inc("read", (long) page.read()),
                        Updates.inc("rewrapped", (long) page.rewrapped())));
                if (page.read() < PAGE) {
                    break;
                }
                after = page.lastMemberId();
            }
            boolean retired = keys.retireOtherMasters();
            runs.updateOne(Filters.eq("_id", rotationId), Updates.combine(Updates.set("state", "done"),
                    Updates.set("othersRetired", retired), Updates.set("finishedAt", Date.from(clock.instant()))));
        } catch (RuntimeException failure) {
            log.warn("Key rotation {} failed: {}", rotationId, failure.getMessage());
            runs.updateOne(Filters.eq("_id", rotationId), Updates.combine(Updates.set("state", "failed"),
                    Updates.set("lastError", failure.getMessage()),
                    Updates.set("finishedAt", Date.from(clock.instant()))));
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
