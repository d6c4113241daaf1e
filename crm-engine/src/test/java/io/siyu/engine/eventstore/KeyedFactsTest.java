package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.siyu.api.points.PointsReversed;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.engine.store.EmbeddedMongo;

/**
 * Idempotency keys live in the commit that used them: a commit carries its events' keys in the unique stream-key
 * index, a second commit with a key already used is refused whole, the commit is found again by the key alone (one
 * point read), and commits written before keys were kept get them added once at start.
 */
class KeyedFactsTest {

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoEventStorageEngine engine;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory("127.0.0.1", 0);
        client = MongoClients.create(mongo.connectionString());
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        engine = MongoEventStorageEngine.builder().database(client.getDatabase("keys")).eventSerializer(serializer)
                .snapshotSerializer(serializer).batchSize(100).build();
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private static GenericDomainEventMessage<Object> event(String member, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Member", member, sequence, payload);
    }

    @Test
    void theCommitThatUsedAKeyIsFoundByItAndASecondUseIsRefusedWhole() {
        PurchaseRefunded refunded = new PurchaseRefunded("m-1", "O-1", "F-1", 500, 500);
        PointsReversed reversed = new PointsReversed("m-1", "O-1", "F-1", 5, List.of(), 0, 95);
        engine.appendEvents(event("m-1", 0, refunded), event("m-1", 1, reversed));

        assertThat(engine.factsCarrying("m-1", "refund:F-1")).containsExactly(refunded, reversed);
        assertThat(engine.factsCarrying("m-1", "refund:F-2")).isEmpty();
        assertThat(engine.factsCarrying("m-2", "refund:F-1")).as("keys are per member").isEmpty();

        // the same refund id again, at the next sequence number: refused, nothing stored
        assertThatThrownBy(() -> engine.appendEvents(event("m-1", 2,
                new PurchaseRefunded("m-1", "O-1", "F-1", 500, 1_000)))).isInstanceOf(RuntimeException.class);
        assertThat(engine.readEvents("m-1").asStream().count()).isEqualTo(2);
        // another member may use the same id
        engine.appendEvents(event("m-2", 0, new PurchaseRefunded("m-2", "O-1", "F-1", 100, 100)));
        assertThat(engine.factsCarrying("m-2", "refund:F-1")).hasSize(1);
    }

    @Test
    void commitsWrittenBeforeKeysWereKeptGetThemOnce() {
        PurchaseRefunded refunded = new PurchaseRefunded("m-1", "O-1", "F-1", 500, 500);
        engine.appendEvents(event("m-1", 0, refunded));
        // as an older engine wrote it: no key in the commit
        client.getDatabase("keys").getCollection(MongoEventStorageEngine.EVENTS)
                .updateMany(new Document(), Updates.pull("streamKeys", "m-1#refund:F-1"));
        assertThat(engine.factsCarrying("m-1", "refund:F-1")).isEmpty();

        assertThat(engine.addMissingKeys()).isEqualTo(1);
        assertThat(engine.factsCarrying("m-1", "refund:F-1")).containsExactly(refunded);
        assertThat(client.getDatabase("keys").getCollection(MongoEventStorageEngine.EVENTS)
                .find(Filters.eq("streamKeys", "m-1:0")).first().getList("streamKeys", String.class))
                .containsExactly("m-1:0", "m-1#refund:F-1");
        assertThat(engine.addMissingKeys()).as("done once per store").isZero();
    }

    @Test
    void theLastSequenceNumberComesFromTheSnapshotAndTheEventsAfterItNotTheWholeStream() {
        assertThat(engine.lastSequenceNumberFor("m-9")).isEmpty();
        for (long sequence = 0; sequence < 300; sequence++) {
            engine.appendEvents(event("m-9", sequence, new PurchaseRefunded("m-9", "O-" + sequence, "F-" + sequence,
                    1, 1)));
        }
        assertThat(engine.lastSequenceNumberFor("m-9")).contains(299L);
        engine.storeSnapshot(event("m-9", 279, java.util.Map.of("state", "folded")));
        assertThat(engine.lastSequenceNumberFor("m-9")).contains(299L);
        // the events the snapshot covers are not read: gone, the answer is the same
        client.getDatabase("keys").getCollection(MongoEventStorageEngine.EVENTS).deleteMany(
                Filters.in("streamKeys", java.util.stream.LongStream.range(0, 280)
                        .mapToObj(sequence -> "m-9:" + sequence).toList()));
        assertThat(engine.lastSequenceNumberFor("m-9")).contains(299L);
        engine.appendEvents(event("m-9", 300, new PurchaseRefunded("m-9", "O-300", "F-300", 1, 1)));
        assertThat(engine.lastSequenceNumberFor("m-9")).contains(300L);
        // a snapshot of the last event: nothing after it
        engine.storeSnapshot(event("m-9", 300, java.util.Map.of("state", "folded")));
        assertThat(engine.lastSequenceNumberFor("m-9")).contains(300L);
    }
}
