package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Scans never lose their chunks: documents are written and rewritten (every rewrite supersedes pages and the
 * compactor rewrites sparse chunks, whose space is reused at once) while another connection scans the collection
 * over and over; no scan fails, every scan sees every document, and the store reports its file against its live
 * pages.
 */
class StoreCompactionTest {

    @TempDir
    Path dataDir;

    @Test
    void scansRunningWhileDocumentsAreRewrittenNeverLoseTheirChunks() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, true);
             MongoClient writer = MongoClients.create(mongo.connectionString());
             MongoClient reader = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = writer.getDatabase("compaction").getCollection("docs");
            String filler = "x".repeat(1_000);
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                batch.add(new Document("_id", i).append("filler", filler).append("round", 0));
            }
            docs.insertMany(batch);

            AtomicBoolean writing = new AtomicBoolean(true);
            List<Throwable> scanFailures = new CopyOnWriteArrayList<>();
            Thread scanner = new Thread(() -> {
                MongoCollection<Document> scanned = reader.getDatabase("compaction").getCollection("docs");
                while (writing.get()) {
                    try {
                        assertThat(scanned.countDocuments(Filters.gte("round", 0))).isEqualTo(5_000);
                    } catch (Throwable failure) {
                        scanFailures.add(failure);
                    }
                }
            });
            scanner.start();
            for (int round = 1; round <= 8; round++) {
                for (int i = 0; i < 5_000; i += 50) {
                    docs.updateMany(Filters.and(Filters.gte("_id", i), Filters.lt("_id", i + 50)),
                            Updates.set("round", round));
                }
            }
            writing.set(false);
            scanner.join();
            assertThat(scanFailures).as("scans while rewriting and compacting").isEmpty();

            StoreFootprint footprint = mongo.footprint().orElseThrow();
            assertThat(footprint.fileBytes()).as("the footprint reports the file").isEqualTo(
                    Files.size(dataDir.resolve("siyu.mv")));
            assertThat(footprint.liveBytes()).as("live pages within the file").isPositive()
                    .isLessThanOrEqualTo(footprint.fileBytes());
            assertThat(docs.countDocuments(Filters.eq("round", 8))).isEqualTo(5_000);
        }
    }

    @Test
    void theFileGivesItsFreeSpaceBackWhenTheStoreOpens() throws Exception {
        long grown;
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, true);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("compaction").getCollection("docs");
            String filler = "y".repeat(1_000);
            for (int i = 0; i < 2_000; i++) {
                docs.insertOne(new Document("_id", i).append("filler", filler));
            }
            // most of it goes again: its chunks become free space inside the file
            docs.deleteMany(Filters.gte("_id", 200));
            grown = Files.size(dataDir.resolve("siyu.mv"));
        }
        try (EmbeddedMongo reopened = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, true);
             MongoClient client = MongoClients.create(reopened.connectionString())) {
            StoreFootprint footprint = reopened.footprint().orElseThrow();
            assertThat(footprint.fileFillPercent()).as("share of the file in use").isGreaterThanOrEqualTo(90);
            assertThat(footprint.fileBytes()).as("file against %,d before", grown).isLessThan(grown);
            assertThat(client.getDatabase("compaction").getCollection("docs").countDocuments()).isEqualTo(200);
        }
    }
}
