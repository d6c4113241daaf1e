package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.siyu.engine.store.EmbeddedMongo;

/**
 * Writers that reserve positions and then stall, die, or come back too late: the reader waits for a stalled writer,
 * moves past a dead one only after the gap timeout, and never loses an acknowledged event.
 */
class GapsTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T02:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private EmbeddedMongo mongo;
    private MongoClient client;
    private final ManualClock clock = new ManualClock();
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
                .gapTimeout(Duration.ofSeconds(10)).writerDeadline(Duration.ofSeconds(5))
                .clock(clock).afterReservation(afterReservation).build();
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

        clock.advance(Duration.ofSeconds(9));
        writer.appendEvents(event("c", "second"));
        assertThat(read(writer)).containsExactly("second");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("still waiting").containsExactly(0L);

        clock.advance(Duration.ofSeconds(2));
        writer.appendEvents(event("d", "third"));
        assertThat(read(writer)).containsExactly("third");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).as("given up after 10 s").isEmpty();
    }

    @Test
    void aWriterBackAfterItsDeadlineGivesUpItsPositionsInsteadOfWritingBehindTheReaders() {
        MongoEventStorageEngine late = engine(position -> clock.advance(Duration.ofSeconds(6)));
        MongoEventStorageEngine writer = engine(position -> { });

        assertThatThrownBy(() -> late.appendEvents(event("a", "too late")))
                .isInstanceOf(EventStoreException.class).hasMessageContaining("expired");
        writer.appendEvents(event("b", "on time"));

        // The late writer's position holds a tombstone: no gap to wait for, and nothing unacknowledged appears.
        assertThat(read(writer)).containsExactly("on time");
        assertThat(((GapAwareTrackingToken) readerToken).getGaps()).isEmpty();
        assertThat(writer.readEvents("a").asStream().count()).isZero();
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

        StalledWriter(List<? extends org.axonframework.eventhandling.EventMessage<?>> events) throws Exception {
            MongoEventStorageEngine slow = engine(position -> {
                reserved.countDown();
                await(release);
            });
            thread = new Thread(() -> slow.appendEvents(events));
            thread.start();
            assertThat(reserved.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void releaseAndWait() throws InterruptedException {
            release.countDown();
            thread.join(10_000);
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
