package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The embedded store finds a document by {@code _id} when the query adds other conditions, as MongoDB does, instead
 * of scanning the collection; the other conditions still decide.
 */
class IdLookupIndexTest {

    @TempDir
    Path dataDir;

    private static final List<Document> SEEN_FILTERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Keeps the filter of every find, update and delete the in-memory store is sent. */
    @SuppressWarnings("unchecked")
    private static void see(String database, String command, Document body) {
        switch (command) {
            case "find" -> SEEN_FILTERS.add((Document) body.getOrDefault("filter", new Document()));
            case "update", "delete" -> ((List<Document>) body.get(command.equals("update") ? "updates" : "deletes"))
                    .forEach(statement -> SEEN_FILTERS.add((Document) statement.get("q")));
            default -> { }
        }
    }

    @Test
    void theIdIndexTakesQueriesThatNameAnIdAlongsideOtherConditions() {
        Index<Integer> ids = IdLookupIndex.wrap(new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)),
                false));
        ids.add(new Document("_id", "a").append("status", "held"), 7, null);
        ids.add(new Document("_id", "b").append("status", "held"), 8, null);

        assertThat(ids.canHandle(new Document("_id", "a").append("status", "held"))).isTrue();
        assertThat(ids.getPositions(new Document("_id", "a").append("status", "held"))).containsExactly(7);
        Document in = new Document("_id", new Document("$in", List.of("a", "b"))).append("status", "held");
        assertThat(ids.canHandle(in)).isTrue();
        assertThat(ids.getPositions(in)).containsExactlyInAnyOrder(7, 8);
        // as the Java driver sends Filters.and(…)
        Document and = new Document("$and", List.of(new Document("_id", "b"), new Document("status", "held")));
        assertThat(ids.canHandle(and)).isTrue();
        assertThat(ids.getPositions(and)).containsExactly(8);
        // what the _id index cannot answer is still left to a scan
        assertThat(ids.canHandle(new Document("status", "held"))).isFalse();
        assertThat(ids.canHandle(new Document("_id", new Document("$gt", "a")).append("status", "held"))).isFalse();
        // other unique indexes are left as they are
        Index<Integer> other = new MemoryUniqueIndex("code", List.of(new IndexKey("code", true)), false);
        assertThat(IdLookupIndex.wrap(other)).isSameAs(other);
    }

    @Test
    void conditionalWritesByIdStillApplyTheirConditionsOnBothStores() {
        try (EmbeddedMongo memory = EmbeddedMongo.inMemory("127.0.0.1", 0, IdLookupIndexTest::see)) {
            conditionalWrites(memory);
        }
        assertThat(SEEN_FILTERS).as("the driver sends Filters.and(…) as $and")
                .anyMatch(filter -> filter.containsKey("$and"));
        SEEN_FILTERS.clear();
        try (EmbeddedMongo disk = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, false)) {
            conditionalWrites(disk);
        }
        // reopened: the databases already in the file get the same index
        try (EmbeddedMongo disk = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, false);
             MongoClient client = MongoClients.create(disk.connectionString())) {
            MongoCollection<org.bson.Document> claims = client.getDatabase("t").getCollection("claims");
            assertThat(claims.find(Filters.and(Filters.eq("_id", "c-1"), Filters.eq("status", "reserved"))).first())
                    .isNotNull();
            assertThat(claims.updateOne(Filters.and(Filters.eq("_id", "c-1"), Filters.eq("status", "held")),
                    Updates.set("status", "x")).getModifiedCount()).isZero();
        }
    }

    private static void conditionalWrites(EmbeddedMongo mongo) {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<org.bson.Document> claims = client.getDatabase("t").getCollection("claims");
            for (int i = 0; i < 50; i++) {
                claims.insertOne(new org.bson.Document("_id", "c-" + i).append("status", "held"));
            }
            assertThat(claims.updateOne(Filters.and(Filters.eq("_id", "c-1"), Filters.eq("status", "held")),
                    Updates.set("status", "reserved")).getModifiedCount()).isEqualTo(1);
            assertThat(claims.updateOne(Filters.and(Filters.eq("_id", "c-1"), Filters.eq("status", "held")),
                    Updates.set("status", "reserved")).getModifiedCount()).as("the condition no longer holds")
                    .isZero();
            assertThat(claims.updateOne(Filters.and(Filters.eq("_id", "c-2"), Filters.ne("status", "redeemed")),
                    Updates.set("status", "released")).getModifiedCount()).isEqualTo(1);
            assertThat(claims.find(Filters.and(Filters.in("_id", "c-1", "c-2", "c-3"), Filters.eq("status", "held")))
                    .into(new java.util.ArrayList<>())).extracting(doc -> doc.get("_id")).containsExactly("c-3");
            assertThat(claims.deleteOne(Filters.and(Filters.eq("_id", "c-4"), Filters.eq("status", "reserved")))
                    .getDeletedCount()).isZero();
            assertThat(claims.deleteOne(Filters.and(Filters.eq("_id", "c-4"), Filters.eq("status", "held")))
                    .getDeletedCount()).isEqualTo(1);
            assertThat(claims.countDocuments()).isEqualTo(49);

            // the collection's _id index is this one, and it takes the filters exactly as the driver sent them
            de.bwaldvogel.mongo.backend.Index<?> idIndex = mongo.backend().resolveDatabase("t")
                    .resolveCollection("claims", true).getIndexes().stream()
                    .filter(IdLookupIndex.class::isInstance).findFirst().orElseThrow();
            for (Document filter : SEEN_FILTERS) {
                if (filter.toString().contains("_id")) {
                    assertThat(idIndex.canHandle(filter)).as("answered from the _id index: %s", filter).isTrue();
                }
            }
        }
    }
}
