package io.siyu.engine.eventstore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import io.siyu.api.KeyedFact;

/**
 * Siyu's event storage engine for MongoDB: every read on the hot path is a point read, so it is as fast on the
 * embedded server as on a real MongoDB, and no event is ever skipped, doubled or half-written.
 * <ul>
 *     <li><b>One commit, one document.</b> All events of one {@code appendEvents} call are inserted as a single
 *     document, so a crash never exposes part of a commit.</li>
 *     <li><b>Global positions.</b> A commit reserves a range of positions with one {@code $inc} on a counter before it
 *     is inserted. Processors track with {@link GapAwareTrackingToken}: a reserved position not yet written is a gap,
 *     re-read until it fills. A writer that fails after reserving writes a tombstone over its range at once. A reader
 *     gives a gap up only once it has been open for {@code gapTimeout} (measured on a monotonic clock, so a step of
 *     the wall clock changes nothing), and only by inserting a tombstone into that position itself: a writer that
 *     comes back later hits the unique index and its commit is refused as a
 *     {@link org.axonframework.modelling.command.ConcurrencyException}, which the command gateway retries at a new
 *     position. No event can land behind a reader, however long its writer stalled and however many positions were
 *     written meanwhile; gaps are never dropped by distance.</li>
 *     <li><b>Read concern.</b> Tracking reads (positions, the counter, the head) use read concern {@code majority}:
 *     on a replica set a processor never sees a commit that a failover could still roll back.</li>
 *     <li><b>Optimistic concurrency across JVMs.</b> Each commit lists {@code aggregate:sequence} for every event in a
 *     unique multikey index ({@code streamKeys}); two writers racing on one aggregate make one success and one
 *     {@link org.axonframework.modelling.command.ConcurrencyException}. Event identifiers are unique the same way.</li>
 *     <li><b>Point reads.</b> Loading an aggregate asks {@code streamKeys $in [agg:n … agg:n+batch)}; a processor
 *     asks {@code positions $in [its gaps, index+1 … index+batch]}; a snapshot is read by {@code _id}.</li>
 * </ul>
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    static final String EVENTS = "events";
    static final String SNAPSHOTS = "snapshots";
    static final String COUNTERS = "event_positions";
    private static final String COUNTER_ID = "global";
    /** Renamed whenever more event types become keyed facts, so older commits of those types get their keys once. */
    private static final String KEYS_MIGRATION = "keyed-facts-migration-3";
    private static final String GZIP = "gzip";
    private static final String TOMBSTONE = "~tombstone:";
    private static final String APPLICATION_EVENT = "~event:";
    private static final int FIRST_STREAM_WINDOW = 16;
    /** The largest window of stream keys one read asks for. */
    private static final int MAX_STREAM_WINDOW = 1_024;

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;
    /** Read with read concern majority: what tracking processors see. */
    private final MongoCollection<Document> trackedEvents;
    private final MongoCollection<Document> trackedCounters;
    private final LongSupplier nanoTime;
    private final long gapTimeoutNanos;
    private final LongConsumer afterReservation;
    private final UnaryOperator<String> keyHashing;
    /** When (monotonic nanos) this node first saw each open gap. */
    private final Map<Long, Long> gapsFirstSeen = new ConcurrentHashMap<>();

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        WriteConcern writeConcern = builder.writeConcern;
        this.events = builder.database.getCollection(EVENTS).withWriteConcern(writeConcern);
        this.snapshots = builder.database.getCollection(SNAPSHOTS).withWriteConcern(writeConcern);
        this.counters = builder.database.getCollection(COUNTERS).withWriteConcern(writeConcern);
        this.trackedEvents = events.withReadConcern(ReadConcern.MAJORITY);
        this.trackedCounters = counters.withReadConcern(ReadConcern.MAJORITY);
        this.nanoTime = builder.nanoTime;
        this.gapTimeoutNanos = builder.gapTimeout.toNanos();
        this.afterReservation = builder.afterReservation;
        this.keyHashing = builder.keyHashing;
        ensureIndexes();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Created before any data is written: building a unique index over existing embedded-store data is fragile. */
    private void ensureIndexes() {
        events.createIndex(Indexes.ascending("positions"), new IndexOptions().unique(true).name("positions"));
        events.createIndex(Indexes.ascending("streamKeys"), new IndexOptions().unique(true).name("streamKeys"));
        events.createIndex(Indexes.ascending("eventIds"), new IndexOptions().unique(true).name("eventIds"));
    }

    // ---------------------------------------------------------------- append

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> messages, Serializer serializer) {
        if (messages.isEmpty()) {
            return;
        }
        rejectDuplicatesWithinTheCommit(messages);
        int count = messages.size();
        long first = reserve(count);
        afterReservation.accept(first);
        List<StoredEvent> stored = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            stored.add(serialize(first + i, messages.get(i), serializer));
        }
        try {
            events.insertOne(commitDocument(first, stored, keyedStreamKeys(messages)));
        } catch (RuntimeException e) {
            if (isDuplicateKey(e) && givenUpByReaders(first, count)) {
                throw new PositionsGivenUpException(first, count);
            }
            tombstone(first, count);
            handlePersistenceException(e, firstDomainEventOrFirst(messages));
        }
    }

    /** Whether a reader has put a tombstone into any of these positions (only a reader can write there but us). */
    private boolean givenUpByReaders(long first, int count) {
        return events.find(Filters.in("positions", LongStream.range(first, first + count).boxed().toList()))
                .projection(new Document("_id", 1)).first() != null;
    }

    /**
     * A commit whose writer stalled until readers gave its positions up: nothing was written. A conflict like any
     * other, so the command gateway sends the command again and it is stored at a new position.
     */
    public static final class PositionsGivenUpException extends ConcurrencyException {
        PositionsGivenUpException(long first, int count) {
            super("The commit's reserved positions " + first + ".." + (first + count - 1) + " were given up by readers"
                    + " while its writer stalled; nothing was written");
        }
    }

    private long reserve(int count) {
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", COUNTER_ID), Updates.inc("next", (long) count),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get("next", Number.class).longValue() - count;
    }

    /** Fills a range whose commit did not land, so that readers do not wait for it. Harmless if the commit did land. */
    private void tombstone(long first, int count) {
        try {
            events.insertOne(new Document("_id", first)
                    .append("positions", LongStream.range(first, first + count).boxed().toList())
                    .append("streamKeys", List.of(TOMBSTONE + first))
                    .append("eventIds", List.of(TOMBSTONE + first))
                    .append("count", count)
                    .append("events", List.of()));
        } catch (RuntimeException alreadyWrittenOrUnreachable) {
            // Either the commit landed after all (duplicate _id), or the store is unreachable and readers fall back
            // on the gap timeout. Neither loses an acknowledged event.
        }
    }

    private static Document commitDocument(long first, List<StoredEvent> stored, List<String> keys) {
        List<String> streamKeys = new ArrayList<>(stored.size() + keys.size());
        List<String> eventIds = new ArrayList<>(stored.size());
        Instant newest = Instant.MIN;
        for (StoredEvent event : stored) {
            streamKeys.add(event.isDomainEvent() ? streamKey(event.aggregateId(), event.sequence())
                    : APPLICATION_EVENT + event.eventId());
            eventIds.add(event.eventId());
            Instant at = Instant.parse(event.timestamp());
            newest = at.isAfter(newest) ? at : newest;
        }
        streamKeys.addAll(keys);
        return new Document("_id", first)
                .append("positions", LongStream.range(first, first + stored.size()).boxed().toList())
                .append("streamKeys", streamKeys)
                .append("eventIds", eventIds)
                .append("count", stored.size())
                .append("newest", Date.from(newest))
                .append("events", stored.stream().map(StoredEvent::toDocument).toList());
    }

    private static String streamKey(String aggregateId, long sequence) {
        return aggregateId + ":" + sequence;
    }

    /**
     * An idempotency key in the stream-key index: {@code aggregate#key}, never equal to an {@code aggregate:n}; the
     * key as the builder's key hashing makes it (a keyed hash: keys may carry personal data).
     */
    private String keyedStreamKey(String aggregateId, String key) {
        return aggregateId + "#" + keyHashing.apply(key);
    }

    /** The idempotency keys the commit's events carry ({@link KeyedFact}), each once. */
    private List<String> keyedStreamKeys(List<? extends EventMessage<?>> messages) {
        Set<String> keys = new LinkedHashSet<>();
        for (EventMessage<?> message : messages) {
            if (message instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null
                    && domain.getPayload() instanceof KeyedFact keyed) {
                keys.add(keyedStreamKey(domain.getAggregateIdentifier(), keyed.idempotencyKey()));
                keyed.otherIdempotencyKeys().forEach(other ->
                        keys.add(keyedStreamKey(domain.getAggregateIdentifier(), other)));
            }
        }
        return new ArrayList<>(keys);
    }

    // ---------------------------------------------------------------- keyed facts

    /**
     * The aggregate's events of the commit that carries {@code key} ({@link KeyedFact}), upcast and deserialized, in
     * order; empty when no commit carries it. One point read on the unique stream-key index.
     */
    public List<Object> factsCarrying(String aggregateIdentifier, String key) {
        Document commit = events.find(Filters.eq("streamKeys", keyedStreamKey(aggregateIdentifier, key))).first();
        if (commit == null) {
            return List.of();
        }
        List<DomainEventData<?>> data = new ArrayList<>();
        for (Document event : commit.getList("events", Document.class)) {
            if (aggregateIdentifier.equals(event.getString("agg"))) {
                data.add(StoredEvent.from(-1, event).asDomainEventData());
            }
        }
        return EventStreamUtils.upcastAndDeserializeDomainEvents(data.stream(), getEventSerializer(), upcasterChain)
                .asStream().<Object>map(DomainEventMessage::getPayload).toList();
    }

    /**
     * Adds the idempotency keys of commits written before commits carried them, once per store (a marker on the
     * position counter says it is done). Reads each commit once, in position order; safe to repeat or interrupt.
     *
     * @return how many commits got keys
     */
    public long addMissingKeys() {
        if (counters.find(Filters.and(Filters.eq("_id", KEYS_MIGRATION), Filters.eq("done", true))).first()
                != null) {
            return 0;
        }
        long updated = 0;
        for (Document commit : events.find().sort(new Document("_id", 1))) {
            List<String> keys = new ArrayList<>();
            for (Document event : commit.getList("events", Document.class)) {
                String aggregate = event.getString("agg");
                if (aggregate == null || !isKeyedFactType(event.getString("type"))) {
                    continue;
                }
                StoredEvent stored = StoredEvent.from(-1, event);
                EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(stored.asDomainEventData()),
                        getEventSerializer(), upcasterChain).asStream()
                        .map(DomainEventMessage::getPayload)
                        .filter(KeyedFact.class::isInstance)
                        .forEach(payload -> {
                            keys.add(keyedStreamKey(aggregate, ((KeyedFact) payload).idempotencyKey()));
                            ((KeyedFact) payload).otherIdempotencyKeys()
                                    .forEach(other -> keys.add(keyedStreamKey(aggregate, other)));
                        });
            }
            List<String> missing = keys.stream().distinct()
                    .filter(key -> !commit.getList("streamKeys", String.class).contains(key)).toList();
            if (!missing.isEmpty()) {
                try {
                    events.updateOne(Filters.eq("_id", commit.get("_id")),
                            Updates.addEachToSet("streamKeys", missing));
                    updated++;
                } catch (MongoWriteException write) {
                    if (write.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw write;
                    }
                    // an older commit already carries the key: that one answers retries
                }
            }
        }
        counters.replaceOne(Filters.eq("_id", KEYS_MIGRATION), new Document("_id", KEYS_MIGRATION)
                .append("done", true).append("commits", updated), new ReplaceOptions().upsert(true));
        return updated;
    }

    private static boolean isKeyedFactType(String payloadType) {
        try {
            return payloadType != null && KeyedFact.class.isAssignableFrom(Class.forName(payloadType, false,
                    MongoEventStorageEngine.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError unknown) {
            return false;
        }
    }

    private static StoredEvent serialize(long position, EventMessage<?> message, Serializer serializer) {
        SerializedObject<byte[]> payload = message.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> metaData = message.serializeMetaData(serializer, byte[].class);
        String aggregateType = null;
        String aggregateId = null;
        Long sequence = null;
        if (message instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            aggregateType = domain.getType();
            aggregateId = domain.getAggregateIdentifier();
            sequence = domain.getSequenceNumber();
        }
        return new StoredEvent(position, message.getIdentifier(), aggregateType, aggregateId, sequence,
                message.getTimestamp().toString(), payload.getType().getName(), payload.getType().getRevision(),
                payload.getData(), metaData.getData());
    }

    /** A unique index does not stop one document repeating a key, so a commit is checked against itself. */
    private void rejectDuplicatesWithinTheCommit(List<? extends EventMessage<?>> messages) {
        Set<String> eventIds = new HashSet<>();
        Set<String> streamKeys = new HashSet<>();
        for (EventMessage<?> message : messages) {
            boolean duplicate = !eventIds.add(message.getIdentifier());
            if (message instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
                duplicate |= !streamKeys.add(streamKey(domain.getAggregateIdentifier(), domain.getSequenceNumber()));
            }
            if (duplicate) {
                handlePersistenceException(new DuplicateInCommitException(message.getIdentifier()), message);
            }
        }
    }

    private static EventMessage<?> firstDomainEventOrFirst(List<? extends EventMessage<?>> messages) {
        for (EventMessage<?> message : messages) {
            if (message instanceof DomainEventMessage<?>) {
                return message;
            }
        }
        return messages.get(0);
    }

    /** Recognises a duplicate key from MongoDB and from the in-commit check. */
    public static boolean isDuplicateKey(Exception exception) {
        return exception instanceof DuplicateInCommitException
                || exception instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    static final class DuplicateInCommitException extends RuntimeException {
        DuplicateInCommitException(String eventId) {
            super("The commit holds event " + eventId + " (or its aggregate sequence number) twice", null, false,
                    false);
        }
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document existing = snapshots.find(Filters.eq("_id", snapshot.getAggregateIdentifier())).first();
        if (existing != null && existing.get("seq", Number.class).longValue() >= snapshot.getSequenceNumber()) {
            return;
        }
        StoredEvent stored = serialize(-1, snapshot, serializer);
        // a snapshot is JSON whose field names repeat for every lot and order it holds: gzip keeps it a fraction of
        // its size (read on every command of the aggregate)
        Document document = stored.toDocument().append("_id", snapshot.getAggregateIdentifier())
                .append("payload", new Binary(gzip(stored.payload()))).append("encoding", GZIP);
        snapshots.replaceOne(Filters.eq("_id", snapshot.getAggregateIdentifier()), document,
                new ReplaceOptions().upsert(true));
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier)).first();
        if (snapshot == null) {
            return Stream.empty();
        }
        if (GZIP.equals(snapshot.getString("encoding"))) {
            snapshot.put("payload", new Binary(gunzip(snapshot.get("payload", Binary.class).getData())));
        }
        return Stream.of(StoredEvent.from(-1, snapshot).asDomainEventData());
    }

    private static byte[] gzip(byte[] plain) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(plain.length / 4 + 64);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] compressed) {
        try (java.util.zip.GZIPInputStream zip = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(compressed))) {
            return zip.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- aggregate streams

    /**
     * Reads the aggregate's events from {@code firstSequenceNumber} in windows of stream keys that start small and
     * grow while they come back full: most streams (after a snapshot) are short, and a {@code $in} costs the server
     * in proportion to its length.
     */
    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber,
                                                                   int batchSize) {
        List<DomainEventData<?>> result = new ArrayList<>();
        long next = firstSequenceNumber;
        int window = Math.min(FIRST_STREAM_WINDOW, batchSize);
        while (result.size() < batchSize) {
            List<StoredEvent> found = readStream(aggregateIdentifier, next, window);
            for (StoredEvent event : found) {
                result.add(event.asDomainEventData());
            }
            if (found.size() < window) {
                break; // the stream ends inside this window
            }
            next = found.get(found.size() - 1).sequence() + 1;
            window = Math.min(window * 4, Math.max(1, batchSize - result.size()));
        }
        return result;
    }

    /** The aggregate's events from {@code from} on, contiguous, as found in commits holding any of the window's keys. */
    private List<StoredEvent> readStream(String aggregateIdentifier, long from, int window) {
        List<String> keys = LongStream.range(from, from + window)
                .mapToObj(sequence -> streamKey(aggregateIdentifier, sequence)).toList();
        TreeSet<StoredEvent> found = new TreeSet<>(Comparator.comparingLong(StoredEvent::sequence));
        for (Document commit : events.find(Filters.in("streamKeys", keys))) {
            for (Document event : commit.getList("events", Document.class)) {
                if (aggregateIdentifier.equals(event.getString("agg"))
                        && event.get("seq", Number.class).longValue() >= from) {
                    found.add(StoredEvent.from(-1, event));
                }
            }
        }
        List<StoredEvent> contiguous = new ArrayList<>(found.size());
        long expected = from;
        for (StoredEvent event : found) {
            if (event.sequence() != expected) {
                break;
            }
            contiguous.add(event);
            expected++;
        }
        return contiguous;
    }

    // ---------------------------------------------------------------- tracking

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        if (lastToken != null && !(lastToken instanceof GapAwareTrackingToken)) {
            throw new IllegalArgumentException("A " + lastToken.getClass().getSimpleName() + " was not issued by this "
                    + "event store (is the token store from before Siyu's own event store?). Reset the processor's "
                    + "token, or start from an empty data directory.");
        }
        GapAwareTrackingToken start = withExpiredGapsDropped(lastToken == null
                ? GapAwareTrackingToken.newInstance(-1, List.of()) : (GapAwareTrackingToken) lastToken);
        long head = -1;
        long from = start.getIndex() + 1;
        while (true) {
            List<Document> commits = readPositions(start.getGaps(), from, batchSize);
            if (!commits.isEmpty()) {
                return track(start, commits);
            }
            // The whole window is reserved but unwritten (or beyond the head). Look past it only if something was
            // reserved beyond it; its positions then become gaps like any other.
            if (head < 0) {
                head = nextPosition() - 1;
            }
            if (from + batchSize > head) {
                return List.of();
            }
            from += batchSize;
        }
    }

    private List<Document> readPositions(SortedSet<Long> gaps, long from, int batchSize) {
        List<Long> positions = new ArrayList<>(gaps.size() + batchSize);
        positions.addAll(gaps);
        LongStream.range(from, from + batchSize).forEach(positions::add);
        Map<Long, Document> commits = new LinkedHashMap<>();
        // One reply for the whole window: the driver's default first batch (101 documents) would add round trips.
        for (Document commit : trackedEvents.find(Filters.in("positions", positions)).batchSize(positions.size())) {
            commits.putIfAbsent(commit.get("_id", Number.class).longValue(), commit);
        }
        List<Document> ordered = new ArrayList<>(commits.values());
        ordered.sort(Comparator.comparingLong(commit -> commit.get("_id", Number.class).longValue()));
        return ordered;
    }

    private List<TrackedEventData<?>> track(GapAwareTrackingToken start, List<Document> commits) {
        List<TrackedEventData<?>> result = new ArrayList<>();
        GapAwareTrackingToken token = start;
        for (Document commit : commits) {
            long first = commit.get("_id", Number.class).longValue();
            List<Document> stored = commit.getList("events", Document.class);
            int count = commit.get("count", Number.class).intValue();
            for (int i = 0; i < count; i++) {
                long position = first + i;
                if (position <= token.getIndex() && !token.getGaps().contains(position)) {
                    continue; // seen before (a token in the middle of a commit)
                }
                token = token.advanceTo(position, Integer.MAX_VALUE); // gaps are never dropped by distance
                gapsFirstSeen.remove(position);
                if (!stored.isEmpty()) {
                    result.add(StoredEvent.from(position, stored.get(i)).tracked(token));
                }
            }
        }
        return result;
    }

    /**
     * Gives up gaps open for longer than the timeout, each by inserting a tombstone into its position: if that
     * succeeds, its writer can no longer insert there; if the position was written meanwhile, the gap is kept and
     * the commit is read with the rest. A store that cannot be reached fails the fetch (the processor retries).
     */
    private GapAwareTrackingToken withExpiredGapsDropped(GapAwareTrackingToken token) {
        if (!token.hasGaps()) {
            return token;
        }
        long now = nanoTime.getAsLong();
        SortedSet<Long> kept = new TreeSet<>();
        for (Long gap : token.getGaps()) {
            long firstSeen = gapsFirstSeen.computeIfAbsent(gap, position -> now);
            if (now - firstSeen < gapTimeoutNanos || !tombstoneGap(gap)) {
                kept.add(gap);
            } else {
                gapsFirstSeen.remove(gap);
            }
        }
        return kept.size() == token.getGaps().size() ? token : GapAwareTrackingToken.newInstance(token.getIndex(), kept);
    }

    /** True if this reader's tombstone now holds the position; false if something else was written there first. */
    private boolean tombstoneGap(long position) {
        try {
            events.insertOne(new Document("_id", position)
                    .append("positions", List.of(position))
                    .append("streamKeys", List.of(TOMBSTONE + position))
                    .append("eventIds", List.of(TOMBSTONE + position))
                    .append("count", 1)
                    .append("events", List.of()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private long nextPosition() {
        Document counter = trackedCounters.find(Filters.eq("_id", COUNTER_ID)).first();
        return counter == null ? 0 : counter.get("next", Number.class).longValue();
    }

    @Override
    public TrackingToken createTailToken() {
        return GapAwareTrackingToken.newInstance(-1, List.of());
    }

    /** The head, with positions of the latest reservations that are not written yet kept as gaps. */
    @Override
    public TrackingToken createHeadToken() {
        long head = nextPosition() - 1;
        if (head < 0) {
            return createTailToken();
        }
        long from = Math.max(0, head - 999);
        Set<Long> written = new HashSet<>();
        for (Document commit : trackedEvents.find(Filters.in("positions", LongStream.rangeClosed(from, head).boxed().toList()))
                .projection(new Document("positions", 1))) {
            commit.getList("positions", Number.class).forEach(position -> written.add(position.longValue()));
        }
        List<Long> pending = LongStream.rangeClosed(from, head).filter(position -> !written.contains(position))
                .boxed().toList();
        return GapAwareTrackingToken.newInstance(head, pending);
    }

    /**
     * The position just before the first event (in position order) stamped at or after {@code dateTime}. Not a hot
     * path: a range query, served by an index on a real MongoDB and by a scan on the embedded server.
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        for (Document commit : events.find(Filters.gte("newest", Date.from(dateTime.minusMillis(1))))
                .sort(Sorts.ascending("_id"))) {
            long first = commit.get("_id", Number.class).longValue();
            List<Document> stored = commit.getList("events", Document.class);
            for (int i = 0; i < stored.size(); i++) {
                if (!Instant.parse(stored.get(i).getString("ts")).isBefore(dateTime)) {
                    return GapAwareTrackingToken.newInstance(first + i - 1, List.of());
                }
            }
        }
        return createHeadToken();
    }

    /** Whether the aggregate has an event at {@code sequence}: one point read by stream key. */
    public boolean hasEventAt(String aggregateIdentifier, long sequence) {
        return events.find(Filters.eq("streamKeys", streamKey(aggregateIdentifier, sequence)))
                .projection(new Document("_id", 1)).first() != null;
    }

    /**
     * The aggregate's last sequence number from its snapshot's and the events after it (read by stream key in growing
     * windows, payloads left undecoded): as cheap for a member with 10,000 events as for a new one, where Axon's
     * default reads and deserializes the whole stream. Empty when the aggregate has no events.
     */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier))
                .projection(new Document("seq", 1)).first();
        Long last = snapshot == null ? null : snapshot.get("seq", Number.class).longValue();
        long next = last == null ? 0 : last + 1;
        int window = FIRST_STREAM_WINDOW;
        while (true) {
            List<StoredEvent> found = readStream(aggregateIdentifier, next, window);
            if (!found.isEmpty()) {
                last = found.get(found.size() - 1).sequence();
                next = last + 1;
            }
            if (found.size() < window) {
                return Optional.ofNullable(last);
            }
            window = Math.min(window * 4, MAX_STREAM_WINDOW);
        }
    }

    // ---------------------------------------------------------------- builder

    /** Builds the engine; the database is required, everything else has a default. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private LongSupplier nanoTime = System::nanoTime;
        private Duration gapTimeout = Duration.ofSeconds(60);
        private WriteConcern writeConcern = WriteConcern.MAJORITY.withJournal(true);
        private LongConsumer afterReservation = first -> { };
        private UnaryOperator<String> keyHashing = UnaryOperator.identity();

        protected Builder() {
            persistenceExceptionResolver(MongoEventStorageEngine::isDuplicateKey);
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        /** The monotonic clock gap ages are measured on ({@link System#nanoTime()}; tests move their own). */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        public Builder gapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
            return this;
        }

        public Builder writeConcern(WriteConcern writeConcern) {
            this.writeConcern = writeConcern;
            return this;
        }

        /** How an idempotency key is kept in the stream-key index (default: as it is). */
        public Builder keyHashing(UnaryOperator<String> keyHashing) {
            this.keyHashing = keyHashing;
            return this;
        }

        /** A seam for tests that stall or kill a writer between reserving positions and inserting its commit. */
        public Builder afterReservation(LongConsumer afterReservation) {
            this.afterReservation = afterReservation;
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder persistenceExceptionResolver(PersistenceExceptionResolver persistenceExceptionResolver) {
            super.persistenceExceptionResolver(persistenceExceptionResolver);
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotFilter(SnapshotFilter snapshotFilter) {
            super.snapshotFilter(snapshotFilter);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        @Override
        public Builder finalAggregateBatchPredicate(
                Predicate<List<? extends DomainEventData<?>>> finalAggregateBatchPredicate) {
            super.finalAggregateBatchPredicate(finalAggregateBatchPredicate);
            return this;
        }

        public MongoEventStorageEngine build() {
            return new MongoEventStorageEngine(this);
        }

        @Override
        protected void validate() {
            super.validate();
            if (database == null) {
                throw new org.axonframework.common.AxonConfigurationException("a MongoDatabase is required");
            }
        }
    }
}
