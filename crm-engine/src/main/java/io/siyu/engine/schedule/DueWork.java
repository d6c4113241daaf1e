package io.siyu.engine.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.siyu.api.points.ExpirePoints;
import io.siyu.api.reward.ReleaseRewardStock;
import io.siyu.api.reward.SettleRewardRedemption;
import io.siyu.api.tier.ReviewTier;
import io.siyu.engine.refusal.Refusal;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.system.Repeating;

/**
 * Work that falls due at an instant (a lot's expiry, a tier review), kept in MongoDB so it survives restarts and runs
 * on time without a sweep over all members, in documents of bounded size however many members fall due together.
 * <ul>
 *     <li><b>Filing.</b> Work is filed under its minute in buckets of at most {@code bucketSize} items
 *     ({@code due_buckets}, {@code _id} {@code <minute>:<n>}): an item is pushed into the minute's newest bucket with
 *     a conditional upsert that only matches while the bucket has room; a full bucket makes the upsert collide on
 *     {@code _id} and the item goes to the next one. {@code due_minutes} says how many buckets a minute has (raised
 *     before a bucket is first written) and {@code due_days} lists a day's busy minutes (at most 1,440). Every read
 *     is a point read by {@code _id}. Filing the same work twice may list it twice; sending it twice writes nothing
 *     the second time ({@link ExpirePoints} and {@link ReviewTier} are idempotent).</li>
 *     <li><b>Sending.</b> A poller sends each due bucket's items as commands, at most {@code maxInFlight} at once,
 *     each retried a few times on failure; the cursor ({@code due_cursor}) records the minute and the bucket up to
 *     which everything was sent, so a restart (or a failure) repeats at most one bucket. A bucket with an item that
 *     still fails is tried again on the next poll, and nothing after it is skipped.</li>
 *     <li><b>Late filing.</b> Work filed for a minute the cursor has passed is sent at once by the filer; the poller,
 *     after moving the cursor past a minute, reads the minute's buckets once more, so an item filed while it closed
 *     the minute is sent by one side or the other (or both).</li>
 * </ul>
 * Metrics: {@code siyu.due-work.filed}, {@code siyu.due-work.sent{kind,outcome}}, {@code siyu.due-work.lateness}
 * (from the minute work fell due to its sending) and {@code siyu.due-work.behind.seconds} (how far the cursor is
 * behind the clock).
 */
@Component
@EnableConfigurationProperties(ScheduleProperties.class)
public class DueWork extends Repeating {

    private static final Logger log = LoggerFactory.getLogger(DueWork.class);
    private static final String CURSOR = "cursor";
    private static final int ATTEMPTS = 3;

    /** What falls due. */
    public enum Kind {
        EXPIRE_POINTS, REVIEW_TIER,
        /** A reserved coupon's deadline: paid by now, or abandoned by the member's side and put back in the stock. */
        SETTLE_REDEMPTION
    }

    private final MongoCollection<Document> buckets;
    private final MongoCollection<Document> minutes;
    private final MongoCollection<Document> days;
    private final MongoCollection<Document> cursor;
    private final CommandGateway commandGateway;
    private final Clock clock;
    private final ScheduleProperties properties;
    private final MeterRegistry meters;
    private final Timer lateness;
    private final AtomicLong cursorMinute = new AtomicLong(Long.MIN_VALUE);
    /** Buckets this node knows a minute has, and the days it knows list a minute: saves a write per filing. */
    private final Map<Long, Integer> knownBuckets = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> knownBusyMinutes = new ConcurrentHashMap<>();
    private final Object runLock = new Object();

    DueWork(MongoClient syncMongoClient, MongoEndpoint endpoint, CommandGateway commandGateway, Clock clock,
            ScheduleProperties properties, MeterRegistry meters) {
        super("siyu-due-work", properties.pollInterval());
        var database = syncMongoClient.getDatabase(endpoint.database());
        this.buckets = database.getCollection("due_buckets");
        this.minutes = database.getCollection("due_minutes");
        this.days = database.getCollection("due_days");
        this.cursor = database.getCollection("due_cursor");
        this.commandGateway = commandGateway;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
        this.lateness = Timer.builder("siyu.due-work.lateness")
                .description("from the minute work fell due to its sending").register(meters);
        Gauge.builder("siyu.due-work.behind.seconds", this, work -> work.secondsBehind())
                .description("how far the due-work cursor is behind the clock").register(meters);
    }

    /** Files work for {@code at} (rounded up to the minute); sends it now if that minute has already been run. */
    public void schedule(Instant at, Kind kind, String memberId) {
        file(at, new Document("kind", kind.name()).append("memberId", memberId));
    }

    /** Files a reward redemption's deadline: by {@code at} the member has paid, or it ends and its coupon goes back. */
    public void scheduleSettlement(Instant at, String memberId, String rewardId, String redemptionId) {
        file(at, new Document("kind", Kind.SETTLE_REDEMPTION.name()).append("memberId", memberId)
                .append("rewardId", rewardId).append("redemptionId", redemptionId));
    }

    private void file(Instant at, Document item) {
        long minute = ceilMinute(at);
        Kind kind = Kind.valueOf(item.getString("kind"));
        markBusy(minute);
        int bucket = knownBuckets.getOrDefault(minute, 1) - 1;
        while (!push(minute, bucket, item)) {
            bucket++;
        }
        meters.counter("siyu.due-work.filed", "kind", kind.name()).increment();
        // The cursor never passes a node's clock; two minutes of margin cover clocks of other nodes running ahead.
        if (minute <= Math.floorDiv(clock.millis(), 60_000L) + 2 && minute <= readCursor().minute()) {
            sendNow(kind, item);
        }
    }

    /** Sends late-filed work from the filer's thread; a failure propagates (its event handler is retried). */
    private void sendNow(Kind kind, Document item) {
        try {
            sendItem(item).get(properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "done").increment();
        } catch (java.util.concurrent.ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Refusal || cause instanceof AggregateNotFoundException) {
                meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "refused").increment();
                return;
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending due work", stopping);
        } catch (java.util.concurrent.TimeoutException slow) {
            throw new IllegalStateException("due work did not finish in time", slow);
        }
    }

    /**
     * The item's command(s): an expiry or a review is one idempotent command; a coupon's deadline asks the member's
     * side to settle and, if nothing was paid, gives the coupon back (both idempotent).
     */
    private CompletableFuture<?> sendItem(Document item) {
        String memberId = item.getString("memberId");
        return switch (Kind.valueOf(item.getString("kind"))) {
            case EXPIRE_POINTS -> commandGateway.send(new ExpirePoints(memberId));
            case REVIEW_TIER -> commandGateway.send(new ReviewTier(memberId));
            case SETTLE_REDEMPTION -> {
                String rewardId = item.getString("rewardId");
                String redemptionId = item.getString("redemptionId");
                yield commandGateway.<Boolean>send(new SettleRewardRedemption(memberId, redemptionId, rewardId,
                                "reservation-expired: the redemption was not paid within its time"))
                        .thenCompose(paid -> Boolean.TRUE.equals(paid) ? CompletableFuture.completedFuture(null)
                                : commandGateway.send(new ReleaseRewardStock(rewardId, memberId, redemptionId,
                                "reservation-expired: the payment did not complete in time")));
            }
        };
    }

    private void markBusy(long minute) {
        if (knownBusyMinutes.putIfAbsent(minute, Boolean.TRUE) == null) {
            days.updateOne(Filters.eq("_id", Math.floorDiv(minute, 1440L)), Updates.addToSet("minutes", minute),
                    new UpdateOptions().upsert(true));
        }
    }

    /** Pushes into the bucket if it has room; false if it is full (the caller tries the next one). */
    private boolean push(long minute, int bucket, Document item) {
        if (knownBuckets.getOrDefault(minute, 0) < bucket + 1) {
            minutes.updateOne(Filters.eq("_id", minute), Updates.max("buckets", bucket + 1),
                    new UpdateOptions().upsert(true));
            knownBuckets.merge(minute, bucket + 1, Math::max);
        }
        try {
            buckets.updateOne(Filters.and(Filters.eq("_id", bucketId(minute, bucket)),
                            Filters.lt("count", properties.bucketSize())),
                    Updates.combine(Updates.push("items", item), Updates.inc("count", 1)),
                    new UpdateOptions().upsert(true));
            return true;
        } catch (MongoWriteException full) {
            if (full.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw full;
        }
    }

    private static String bucketId(long minute, int bucket) {
        return minute + ":" + bucket;
    }

    /** Sends everything due up to now, bucket by bucket; the cursor moves only past buckets that were sent whole. */
    public void runDue() {
        synchronized (runLock) {
            runDueLocked();
        }
    }

    private void runDueLocked() {
        long now = Math.floorDiv(clock.millis(), 60_000L);
        Cursor at = readCursor();
        for (long day = Math.floorDiv(at.minute() + 1, 1440L); day <= Math.floorDiv(now, 1440L); day++) {
            Document dayDoc = days.find(Filters.eq("_id", day)).first();
            if (dayDoc == null) {
                continue;
            }
            List<Long> busy = dayDoc.getList("minutes", Long.class, List.of()).stream()
                    .filter(minute -> minute > at.minute() && minute <= now).sorted().toList();
            for (long minute : busy) {
                if (!sendMinute(minute, readCursor())) {
                    return; // a bucket still fails: try it again on the next run
                }
            }
        }
        writeCursor(new Cursor(Math.max(now, readCursor().minute()), 0));
        knownBuckets.keySet().removeIf(minute -> minute < now - 1440);
        knownBusyMinutes.keySet().removeIf(minute -> minute < now - 1440);
    }

    /** Sends the minute's buckets from where the cursor stands, closes the minute, then sweeps what came meanwhile. */
    private boolean sendMinute(long minute, Cursor at) {
        int bucket = at.partialMinute() == minute ? at.nextBucket() : 0;
        int sentOfLast = 0;
        while (true) {
            Document counts = minutes.find(Filters.eq("_id", minute)).first();
            int total = counts == null ? 0 : counts.getInteger("buckets", 0);
            if (bucket >= total) {
                break;
            }
            List<Document> items = items(minute, bucket);
            if (!send(items, minute)) {
                return false;
            }
            sentOfLast = items.size();
            bucket++;
            writeCursor(new Cursor(minute - 1, bucket, minute));
        }
        writeCursor(new Cursor(minute, 0));
        // Items filed into this minute's last bucket while it was being closed: the filer saw the cursor before it
        // moved, so it did not send them itself.
        if (bucket > 0) {
            List<Document> last = items(minute, bucket - 1);
            if (last.size() > sentOfLast) {
                send(last.subList(sentOfLast, last.size()), minute);
            }
        }
        Document counts = minutes.find(Filters.eq("_id", minute)).first();
        for (int more = bucket; counts != null && more < counts.getInteger("buckets", 0); more++) {
            send(items(minute, more), minute);
        }
        return true;
    }

    private List<Document> items(long minute, int bucket) {
        Document doc = buckets.find(Filters.eq("_id", bucketId(minute, bucket))).first();
        return doc == null ? List.of() : doc.getList("items", Document.class, List.of());
    }

    /** Sends the items, at most maxInFlight at once, each tried up to three times; true if every one was settled. */
    private boolean send(List<Document> items, long minute) {
        Semaphore inFlight = new Semaphore(properties.maxInFlight());
        List<CompletableFuture<Boolean>> sent = new ArrayList<>(items.size());
        for (Document item : items) {
            try {
                inFlight.acquire();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return false;
            }
            sent.add(sendWithRetries(item, ATTEMPTS)
                    .whenComplete((done, failure) -> inFlight.release()));
        }
        boolean all = true;
        for (CompletableFuture<Boolean> each : sent) {
            all &= each.join();
        }
        lateness.record(Math.max(0, clock.millis() - minute * 60_000L), TimeUnit.MILLISECONDS);
        return all;
    }

    private CompletableFuture<Boolean> sendWithRetries(Document item, int attemptsLeft) {
        Kind kind = Kind.valueOf(item.getString("kind"));
        String memberId = item.getString("memberId");
        CompletableFuture<?> sending;
        try {
            sending = sendItem(item).orTimeout(properties.commandTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException refusedAtOnce) {
            sending = CompletableFuture.failedFuture(refusedAtOnce);
        }
        return sending.handle((result, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
                meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "done").increment();
                return CompletableFuture.completedFuture(true);
            }
            if (cause instanceof Refusal || cause instanceof AggregateNotFoundException) {
                // Work for a member that cannot take it (unknown member): nothing to retry.
                meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "refused").increment();
                log.warn("Due work {} for member {} was refused: {}", kind, memberId, cause.getClass().getSimpleName());
                return CompletableFuture.completedFuture(true);
            }
            meters.counter("siyu.due-work.sent", "kind", kind.name(), "outcome", "failed").increment();
            if (attemptsLeft <= 1) {
                log.warn("Due work {} for member {} failed, will retry on the next run: {}", kind, memberId,
                        cause.getClass().getName());
                return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(100L * (ATTEMPTS - attemptsLeft + 1), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> sendWithRetries(item, attemptsLeft - 1));
        }).thenCompose(next -> next);
    }

    /**
     * Where sending stands: every minute up to {@code minute} is done; of {@code partialMinute} (if set), buckets
     * below {@code nextBucket} are done.
     */
    private record Cursor(long minute, int nextBucket, long partialMinute) {
        Cursor(long minute, int nextBucket) {
            this(minute, nextBucket, Long.MIN_VALUE);
        }
    }

    private Cursor readCursor() {
        Document doc = cursor.find(Filters.eq("_id", CURSOR)).first();
        if (doc == null) {
            Cursor start = new Cursor(Math.floorDiv(clock.millis(), 60_000L) - 1, 0);
            writeCursor(start);
            return start;
        }
        Cursor at = new Cursor(doc.getLong("minute"), doc.getInteger("nextBucket", 0),
                doc.get("partialMinute", Long.MIN_VALUE));
        cursorMinute.set(at.minute());
        return at;
    }

    private void writeCursor(Cursor at) {
        cursor.replaceOne(Filters.eq("_id", CURSOR), new Document("_id", CURSOR).append("minute", at.minute())
                        .append("nextBucket", at.nextBucket()).append("partialMinute", at.partialMinute()),
                new ReplaceOptions().upsert(true));
        cursorMinute.set(at.minute());
    }

    private double secondsBehind() {
        long minute = cursorMinute.get();
        return minute == Long.MIN_VALUE ? 0 : Math.max(0, (clock.millis() - (minute + 1) * 60_000L) / 1000.0);
    }

    private static long ceilMinute(Instant at) {
        return Math.floorDiv(at.toEpochMilli() + 59_999L, 60_000L);
    }

    @Override
    protected void beforeStart() {
        readCursor();
        refileUnbucketedMinutes();
    }

    /**
     * Work filed before buckets existed sits in {@code due_minutes} as one {@code items} array per minute: it is filed
     * again into buckets once (a scan at start, empty after the first) and the old array removed.
     */
    private void refileUnbucketedMinutes() {
        for (Document old : minutes.find(Filters.exists("items"))) {
            long minute = old.get("_id", Number.class).longValue();
            for (Document item : old.getList("items", Document.class, List.of())) {
                int bucket = knownBuckets.getOrDefault(minute, 1) - 1;
                while (!push(minute, bucket, item)) {
                    bucket++;
                }
            }
            minutes.updateOne(Filters.eq("_id", minute), Updates.unset("items"));
            log.info("Due work of minute {} moved into buckets", Instant.ofEpochSecond(minute * 60));
        }
    }

    @Override
    protected void runOnce() {
        runDue();
    }
}
