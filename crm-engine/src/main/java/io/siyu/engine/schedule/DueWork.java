package io.siyu.engine.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.api.points.ExpirePoints;
import io.siyu.api.tier.ReviewTier;
import io.siyu.engine.refusal.Refusal;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.system.Repeating;

/**
 * Work that falls due at an instant (a lot's expiry, a tier review), kept in MongoDB so it survives restarts and
 * runs on time without a sweep over all members: due work is filed under its minute ({@code due_minutes}, one
 * document per minute, read by {@code _id}) and each day lists its non-empty minutes ({@code due_days}), so catching
 * up after downtime reads one document per day plus one per busy minute. A cursor ({@code due_cursor}) says up to
 * which minute everything has been sent.
 * <p>
 * Work is sent as idempotent commands ({@link ExpirePoints}, {@link ReviewTier}): sending one twice (two nodes, or a
 * crash before the cursor moved) writes nothing the second time, and work filed for a minute the cursor has passed
 * is sent at once. Lateness is at most the poll interval (5 s by default).
 */
@Component
@EnableConfigurationProperties(ScheduleProperties.class)
public class DueWork extends Repeating {

    private static final Logger log = LoggerFactory.getLogger(DueWork.class);
    private static final String CURSOR = "cursor";

    /** What falls due. */
    public enum Kind {
        EXPIRE_POINTS, REVIEW_TIER
    }

    private final MongoCollection<Document> minutes;
    private final MongoCollection<Document> days;
    private final MongoCollection<Document> cursor;
    private final CommandGateway commandGateway;
    private final Clock clock;
    private final ScheduleProperties properties;
    private final MeterRegistry meters;
    private final Object runLock = new Object();

    DueWork(MongoClient syncMongoClient, MongoEndpoint endpoint, CommandGateway commandGateway, Clock clock,
            ScheduleProperties properties, MeterRegistry meters) {
        super("siyu-due-work", properties.pollInterval());
        var database = syncMongoClient.getDatabase(endpoint.database());
        this.minutes = database.getCollection("due_minutes");
        this.days = database.getCollection("due_days");
        this.cursor = database.getCollection("due_cursor");
        this.commandGateway = commandGateway;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
    }

    /** Files work for {@code at} (rounded up to the minute); sends it now if that minute has already been run. */
    public void schedule(Instant at, Kind kind, String memberId) {
        long minute = ceilMinute(at);
        Document item = new Document("kind", kind.name()).append("memberId", memberId);
        minutes.updateOne(Filters.eq("_id", minute), Updates.addToSet("items", item), new UpdateOptions().upsert(true));
        days.updateOne(Filters.eq("_id", Math.floorDiv(minute, 1440L)), Updates.addToSet("minutes", minute),
                new UpdateOptions().upsert(true));
        if (minute <= cursorMinute()) {
            send(kind, memberId);
        }
    }

    /** Sends everything due up to now, minute by minute; the cursor moves only past minutes that were sent whole. */
    public void runDue() {
        synchronized (runLock) {
            runDueLocked();
        }
    }

    private void runDueLocked() {
        long now = Math.floorDiv(clock.millis(), 60_000L);
        long done = cursorMinute();
        for (long day = Math.floorDiv(done + 1, 1440L); day <= Math.floorDiv(now, 1440L); day++) {
            Document dayDoc = days.find(Filters.eq("_id", day)).first();
            List<Long> busy = new ArrayList<>();
            if (dayDoc != null) {
                dayDoc.getList("minutes", Long.class, List.of()).stream()
                        .filter(minute -> minute > cursorMinute() && minute <= now).sorted().forEach(busy::add);
            }
            for (long minute : busy) {
                Document minuteDoc = minutes.find(Filters.eq("_id", minute)).first();
                for (Document item : minuteDoc == null ? List.<Document>of()
                        : minuteDoc.getList("items", Document.class, List.of())) {
                    if (!send(Kind.valueOf(item.getString("kind")), item.getString("memberId"))) {
                        return; // try this minute again on the next run
                    }
                }
                moveCursor(minute);
            }
        }
        moveCursor(now);
    }

    private boolean send(Kind kind, String memberId) {
        Object command = kind == Kind.EXPIRE_POINTS ? new ExpirePoints(memberId) : new ReviewTier(memberId);
        try {
            commandGateway.sendAndWait(command, properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "done").increment();
            return true;
        } catch (Refusal | AggregateNotFoundException refusal) {
            // Work for a member that cannot take it (unknown member): nothing to retry.
            meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "refused").increment();
            log.warn("Due work {} for member {} was refused: {}", kind, memberId, refusal.getClass().getSimpleName());
            return true;
        } catch (RuntimeException failure) {
            meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "failed").increment();
            log.warn("Due work {} for member {} failed, will retry: {}", kind, memberId, failure.toString());
            return false;
        }
    }

    private long cursorMinute() {
        Document doc = cursor.find(Filters.eq("_id", CURSOR)).first();
        if (doc == null) {
            long start = Math.floorDiv(clock.millis(), 60_000L) - 1;
            cursor.replaceOne(Filters.eq("_id", CURSOR), new Document("_id", CURSOR).append("minute", start),
                    new ReplaceOptions().upsert(true));
            return start;
        }
        return doc.getLong("minute");
    }

    private void moveCursor(long minute) {
        if (minute > cursorMinute()) {
            cursor.replaceOne(Filters.eq("_id", CURSOR), new Document("_id", CURSOR).append("minute", minute),
                    new ReplaceOptions().upsert(true));
        }
    }

    private static long ceilMinute(Instant at) {
        return Math.floorDiv(at.toEpochMilli() + 59_999L, 60_000L);
    }

    @Override
    protected void beforeStart() {
        cursorMinute();
    }

    @Override
    protected void runOnce() {
        runDue();
    }
}
