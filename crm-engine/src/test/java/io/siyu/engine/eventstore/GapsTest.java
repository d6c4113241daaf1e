package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

import io.siyu.engine.store.EmbeddedMongo;

/**
 * Writers that reserve positions and then stall, die, or come back too late: the reader waits for a stalled writer
 * however many positions are written after it, moves past a dead one only after the gap timeout (monotonic time) and
 * only by writing a tombstone into its position, so a writer that comes back later is refused rather than stored
 * behind the reader; no acknowledged event is lost or read twice.
 */
class GapsTest {

    /** The monotonic clock gap ages are measured on, moved by hand. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void elapse(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private EmbeddedMongo mongo;
    private MongoClient client;
    private TrackingToken readerToken;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory("127.0.0.1", 0);
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private MongoEventStorageEngine engine(LongConsumer afterReservation) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return MongoEventStorageEngine.builder().database(client.getDatabase("gaps"))
                .eventSerializer(serializer).snapshotSerializer(serializer).batchSize(100)
                .gapTimeout(Duration.ofSeconds(10))
                .nanoTime(nanos::get).afterReservation(afterReservation).build();
    }

    private static GenericDomainEventMessage<String> event(String aggregate, String payload) {
        return new GenericDomainEventMessage<>("Test", aggregate, 0, payload);
    }

    /** What a tracking processor would receive next; remembers the last token like a processor does. */
    private List<Object> read(MongoEventStorageEngine reader) {
        List<Object> payloads = new ArrayList<>();
        reader.readEvents(readerToken, false).forEach(event -> {
            payloads.add(event.getPayload());
            readerToken = ((TrackedEventMessage<?>) event).trackingToken();
        });
        return payloads;
    }

    @Test
    void aStalledWriterIsAGapTheReaderWaitsForAndDeliversWhenItLands() throws Exception {
        StalledWriter stalled = new StalledWriter(List.of(event("a", "slow")));
        MongoEventStorageEngine fast = engine(position -> { });

        fast.appendEvents(event("b", "fast"));
        assertThat(read(fast)).containsExactly("fast");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).containsExactly(0L);
        assertThat(read(fast)).isEmpty();

        stalled.releaseAndWait();
        assertThat(read(fast)).containsExactly("slow");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).isEmpty();
    }

    @Test
    void aWriterThatDiesAfterReservingLeavesAGapThatIsSkippedOnlyAfterTheTimeout() {
        MongoEventStorageEngine dying = engine(position -> {
            throw new IllegalStateException("the writer's process died here");
        });
        MongoEventStorageEngine writer = engine(position -> { });
        assertThatThrownBy(() -> dying.appendEvents(event("a", "never written")))
                .hasMessageContaining("died");
        writer.appendEvents(event("b", "first"));

        assertThat(read(writer)).containsExactly("first");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).containsExactly(0L);

        elapse(Duration.ofSeconds(9));
        writer.appendEvents(event("c", "second"));
        assertThat(read(writer)).containsExactly("second");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("still waiting").containsExactly(0L);

        elapse(Duration.ofSeconds(2));
        writer.appendEvents(event("d", "third"));
        assertThat(read(writer)).containsExactly("third");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("given up after 10 s").isEmpty();
    }

    @Test
    void aWriterPausedPastTheGapTimeoutIsRefusedAtTheIndexAndItsCommitNeverLandsBehindTheReader() throws Exception {
        StalledWriter stalled = new StalledWriter(List.of(event("a", "too late")));
        MongoEventStorageEngine writer = engine(position -> { });
        writer.appendEvents(event("b", "on time"));
        assertThat(read(writer)).containsExactly("on time");

        elapse(Duration.ofSeconds(11));
        writer.appendEvents(event("c", "after the timeout"));
        assertThat(read(writer)).containsExactly("after the timeout");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("given up with a tombstone").isEmpty();

        // The writer wakes up and inserts: the reader's tombstone holds its position, so the commit is refused as a
        // conflict (the command gateway retries those at a new position) and nothing of it is stored.
        Throwable refused = stalled.releaseAndWait();
        assertThat(refused).isInstanceOf(MongoEventStorageEngine.PositionsGivenUpException.class)
                .isInstanceOf(ConcurrencyException.class);
        assertThat(writer.readEvents("a").asStream().count()).isZero();
        assertThat(read(writer)).isEmpty();

        // Sent again, it is stored at a new position and read once.
        writer.appendEvents(event("a", "retried"));
        assertThat(read(writer)).containsExactly("retried");
        assertThat(read(writer)).isEmpty();
    }

    @Test
    void aGapIsKeptHoweverManyPositionsAreWrittenAfterIt() throws Exception {
        StalledWriter stalled = new StalledWriter(List.of(event("a", "slow")));
        MongoEventStorageEngine writer = engine(position -> { });
        int later = 10_050;
        List<GenericDomainEventMessage<String>> commit = new ArrayList<>();
        for (int i = 0; i < later; i++) {
            commit.add(new GenericDomainEventMessage<>("Test", "busy-" + (i / 50), i % 50, "later-" + i));
            if (commit.size() == 50) {
                writer.appendEvents(commit);
                commit.clear();
            }
        }
        int seen = 0;
        for (List<Object> batch = read(writer); !batch.isEmpty(); batch = read(writer)) {
            seen += batch.size();
        }
        assertThat(seen).isEqualTo(later);
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("10,050 positions later").containsExactly(0L);

        assertThat(stalled.releaseAndWait()).as("the slow commit lands").isNull();
        assertThat(read(writer)).containsExactly("slow");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).isEmpty();
    }

    @Test
    void aReaderDoesNotGiveUpAPositionThatWasWrittenMeanwhile() throws Exception {
        StalledWriter stalled = new StalledWriter(List.of(event("a", "just in time")));
        MongoEventStorageEngine writer = engine(position -> { });
        writer.appendEvents(event("b", "first"));
        assertThat(read(writer)).containsExactly("first");

        assertThat(stalled.releaseAndWait()).isNull();
        elapse(Duration.ofSeconds(11));
        // The gap is old enough to give up, but its commit is there: the tombstone is refused and the event read.
        assertThat(read(writer)).containsExactly("just in time");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).isEmpty();
    }

    @Test
    void trackingReadsAskForMajorityCommittedDataAndAggregateLoadsDoNot() {
        List<org.bson.BsonDocument> finds = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (event.getCommandName().equals("find")) {
                    finds.add(event.getCommand().clone());
                }
            }
        };
        try (MongoClient listened = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.connectionString()))
                .addCommandListener(listener).build())) {
            JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
            MongoEventStorageEngine engine = MongoEventStorageEngine.builder()
                    .database(listened.getDatabase("gaps")).eventSerializer(serializer)
                    .snapshotSerializer(serializer).build();
            engine.appendEvents(event("a", "one"));
            finds.clear();
            engine.readEvents(null, false).findFirst();
            engine.createHeadToken();
            assertThat(finds).isNotEmpty().allSatisfy(find -> assertThat(find.containsKey("readConcern")
                    ? find.getDocument("readConcern").getString("level").getValue() : null)
                    .as("tracking read %s", find.toJson()).isEqualTo("majority"));

            finds.clear();
            engine.readEvents("a").asStream().count();
            assertThat(finds).isNotEmpty().allSatisfy(find -> assertThat(find.containsKey("readConcern"))
                    .as("an aggregate load reads the primary's latest: %s", find.toJson()).isFalse());
        }
    }

    @Test
    void aCommitLargerThanABatchThatStallsDoesNotHideTheCommitsAfterIt() throws Exception {
        List<GenericDomainEventMessage<String>> big = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            big.add(new GenericDomainEventMessage<>("Test", "big", i, "big-" + i));
        }
        StalledWriter stalled = new StalledWriter(big);
        MongoEventStorageEngine fast = engine(position -> { });

        fast.appendEvents(event("after", "after the big one"));
        assertThat(read(fast)).containsExactly("after the big one");

        stalled.releaseAndWait();
        List<Object> late = new ArrayList<>();
        for (int i = 0; i < 5 && late.size() < 250; i++) {
            late.addAll(read(fast));
        }
        assertThat(late).hasSize(250).first().isEqualTo("big-0");
    }

    /** A writer that reserves its positions and then waits to be released before inserting. */
    private final class StalledWriter {
        private final CountDownLatch reserved = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        StalledWriter(List<? extends org.axonframework.eventhandling.EventMessage<?>> events) throws Exception {
            MongoEventStorageEngine slow = engine(position -> {
                reserved.countDown();
                await(release);
            });
            thread = new Thread(() -> {
                try {
                    slow.appendEvents(events);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            thread.start();
            assertThat(reserved.await(10, TimeUnit.SECONDS)).isTrue();
        }

        /** Lets the writer insert; answers what its append threw (null if it was stored). */
        Throwable releaseAndWait() throws InterruptedException {
            release.countDown();
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
            return failure.get();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
