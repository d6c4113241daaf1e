package io.siyu.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siyu.api.points.ExpirePoints;
import io.siyu.api.tier.ReviewTier;
import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.SettableClock;

/**
 * Due work over the wire on the embedded store, with a command bus whose handlers record what they are sent (and can
 * fail on purpose): documents stay bounded however much falls due in one minute, nothing is skipped when sending
 * fails, and a restart resumes where the cursor stands.
 */
class DueWorkTest {

    private static final Instant START = Instant.parse("2026-11-29T02:00:30Z");

    private EmbeddedMongo mongo;
    private MongoClient client;
    private final SettableClock clock = new SettableClock(START);
    private final Map<String, AtomicInteger> expired = new ConcurrentHashMap<>();
    private final List<String> reviewed = new CopyOnWriteArrayList<>();
    /** Members whose expiry fails this many more times. */
    private final Map<String, AtomicInteger> failing = new ConcurrentHashMap<>();
    private SimpleCommandBus bus;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory("127.0.0.1", 0);
        client = MongoClients.create(mongo.connectionString());
        bus = SimpleCommandBus.builder().build();
        bus.subscribe(ExpirePoints.class.getName(), command -> {
            String memberId = ((ExpirePoints) command.getPayload()).memberId();
            AtomicInteger failures = failing.get(memberId);
            if (failures != null && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the member's store is briefly unreachable");
            }
            expired.computeIfAbsent(memberId, id -> new AtomicInteger()).incrementAndGet();
            return null;
        });
        bus.subscribe(ReviewTier.class.getName(), command -> {
            reviewed.add(((ReviewTier) command.getPayload()).memberId());
            return null;
        });
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private DueWork dueWork(int bucketSize) {
        DueWork work = new DueWork(client, new MongoEndpoint(mongo.connectionString(), "due", Optional.empty()),
                DefaultCommandGateway.builder().commandBus(bus).build(), clock,
                new ScheduleProperties(Duration.ofSeconds(5), Duration.ofSeconds(5), bucketSize, 16, Duration.ofMinutes(10)),
                new SimpleMeterRegistry());
        work.beforeStart();
        return work;
    }

    private MongoDatabase database() {
        return client.getDatabase("due");
    }

    @Test
    void aMinuteWithMoreWorkThanABucketHoldsIsFiledInBoundedBucketsAndSentWhole() {
        DueWork work = dueWork(100);
        Instant due = START.plus(Duration.ofDays(30));
        for (int i = 0; i < 2_550; i++) {
            work.schedule(due, DueWork.Kind.EXPIRE_POINTS, "m-" + i);
        }
        List<Document> buckets = database().getCollection("due_buckets").find().into(new java.util.ArrayList<>());
        assertThat(buckets).hasSize(26).allSatisfy(bucket ->
                assertThat(bucket.getList("items", Document.class)).hasSizeLessThanOrEqualTo(100));

        clock.set(due.minusSeconds(60));
        work.runDue();
        assertThat(expired).as("not due yet").isEmpty();

        clock.set(due.plusSeconds(61));
        work.runDue();
        assertThat(expired).hasSize(2_550).allSatisfy((member, times) -> assertThat(times.get()).isEqualTo(1));
        work.runDue();
        assertThat(expired.values()).as("sent once").allMatch(times -> times.get() == 1);
    }

    @Test
    void anItemThatKeepsFailingHoldsTheCursorAtItsBucketAndNothingAfterItIsSkippedAcrossARestart() {
        DueWork work = dueWork(10);
        Instant due = START.plus(Duration.ofDays(2));
        for (int i = 0; i < 35; i++) {
            work.schedule(due, DueWork.Kind.EXPIRE_POINTS, "m-" + i);
        }
        Instant later = due.plus(Duration.ofHours(1));
        work.schedule(later, DueWork.Kind.REVIEW_TIER, "m-later");
        failing.put("m-15", new AtomicInteger(5)); // bucket 1; three attempts per run

        clock.set(later.plusSeconds(61));
        work.runDue();
        assertThat(expired).doesNotContainKey("m-15").containsKeys("m-0", "m-9", "m-19");
        assertThat(reviewed).as("a later minute waits behind the failing bucket").isEmpty();
        Document cursor = database().getCollection("due_cursor").find().first();
        assertThat(cursor.getInteger("nextBucket")).as("buckets done of the minute").isEqualTo(1);

        // another node (or this one restarted) resumes at the failing bucket
        DueWork restarted = dueWork(10);
        restarted.runDue();
        assertThat(expired).hasSize(35).containsKey("m-15");
        assertThat(expired.get("m-0").get()).as("bucket 0 is not sent again").isEqualTo(1);
        assertThat(expired.get("m-19").get()).as("the failing bucket is sent again").isEqualTo(2);
        assertThat(expired.get("m-25").get()).isEqualTo(1);
        assertThat(reviewed).containsExactly("m-later");
    }

    @Test
    void workFiledForAMinuteAlreadyRunIsSentAtOnce() {
        DueWork work = dueWork(10);
        clock.set(START.plus(Duration.ofMinutes(10)));
        work.runDue();
        work.schedule(START.plus(Duration.ofMinutes(3)), DueWork.Kind.EXPIRE_POINTS, "m-late");
        assertThat(expired).containsOnlyKeys("m-late");
    }

    @Test
    void workFiledBeforeBucketsExistedIsMovedIntoBucketsAndSent() {
        long minute = Math.floorDiv(START.plus(Duration.ofMinutes(5)).toEpochMilli(), 60_000L);
        database().getCollection("due_minutes").insertOne(new Document("_id", minute).append("items",
                List.of(new Document("kind", "EXPIRE_POINTS").append("memberId", "m-old"))));
        database().getCollection("due_days").insertOne(new Document("_id", Math.floorDiv(minute, 1440L))
                .append("minutes", List.of(minute)));
        DueWork work = dueWork(10);
        assertThat(database().getCollection("due_minutes").find(Filters.eq("_id", minute)).first())
                .doesNotContainKey("items");
        clock.set(START.plus(Duration.ofMinutes(7)));
        work.runDue();
        assertThat(expired).containsOnlyKeys("m-old");
    }
}
