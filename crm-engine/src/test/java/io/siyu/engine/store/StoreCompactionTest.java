package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The default store's file comes back to its live data once the writing stops: documents are written and rewritten
 * (every rewrite supersedes pages, so the file grows past its live data) while another connection scans the
 * collection over and over; once the store is at rest (a write every 200 ms, as a resting engine's token claims) the
 * compactor rewrites the emptied chunks, moves chunks to the start of the file and truncates it. No scan ever fails
 * on a chunk reused under it.
 */
class StoreCompactionTest {

    @TempDir
    Path dataDir;

    @Test
    void theFileShrinksToItsLiveDataOnceWritingStopsAndScansNeverLoseTheirChunks() throws Exception {
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
            long peak = 0;
            for (int round = 1; round <= 8; round++) {
                for (int i = 0; i < 5_000; i += 50) {
                    docs.updateMany(Filters.and(Filters.gte("_id", i), Filters.lt("_id", i + 50)),
                            Updates.set("round", round));
                }
                peak = Math.max(peak, Files.size(dataDir.resolve("siyu.mv")));
            }
            writing.set(false);
            scanner.join();
            assertThat(scanFailures).as("scans while rewriting and compacting").isEmpty();

            long grown = peak;
            // a resting engine still writes now and then (processors' token claims, the due-work cursor): that is
            // what lets the store drop the chunks compaction has emptied
            AtomicBoolean resting = new AtomicBoolean(true);
            Thread heartbeat = new Thread(() -> {
                MongoCollection<Document> claims = reader.getDatabase("compaction").getCollection("claims");
                for (long beat = 0; resting.get(); beat++) {
                    claims.replaceOne(Filters.eq("_id", "claim"), new Document("_id", "claim").append("beat", beat),
                            new com.mongodb.client.model.ReplaceOptions().upsert(true));
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            heartbeat.start();
            try {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    StoreFootprint footprint = mongo.footprint().orElseThrow();
                    assertThat(footprint.fileFillPercent()).as("share of the file in use")
                            .isGreaterThanOrEqualTo(90);
                    assertThat(footprint.fileBytes()).as("file (peak %,d) against MVStore's live pages", grown)
                            .isLessThan(footprint.liveBytes() * 3 / 2);
                });
            } finally {
                resting.set(false);
                heartbeat.join();
            }
            assertThat(docs.countDocuments(Filters.eq("round", 8))).isEqualTo(5_000);
        }
    }
}
