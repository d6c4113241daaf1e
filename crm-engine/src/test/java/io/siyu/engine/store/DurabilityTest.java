package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.siyu.engine.support.ChildJvm;

/**
 * What the embedded store acknowledged survives a crash: writers insert from several connections while the store's
 * process is killed with SIGKILL; reopened, the file holds every acknowledged document.
 */
class DurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedWriteSurvivesAKill9() throws Exception {
        Process store = ChildJvm.start(EmbeddedStoreProcess.class, dataDir.toString(), "false");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            String connection = awaitReady(store);
            try (MongoClient client = MongoClients.create(connection)) {
                MongoCollection<Document> docs = client.getDatabase("siyu").getCollection("durability");
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    Thread thread = new Thread(() -> {
                        for (int i = 0; ; i++) {
                            String id = writer + "-" + i;
                            try {
                                docs.insertOne(new Document("_id", id).append("payload", "x".repeat(200)));
                            } catch (RuntimeException storeGone) {
                                return;
                            }
                            acknowledged.add(id);
                        }
                    });
                    thread.start();
                    writers.add(thread);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (acknowledged.size() < 1_500 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                store.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
                assertThat(store.waitFor(30, TimeUnit.SECONDS)).isTrue();
                for (Thread writer : writers) {
                    writer.join(30_000);
                }
            }
        } finally {
            store.destroyForcibly();
        }

        try (EmbeddedMongo reopened = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, false);
             MongoClient client = MongoClients.create(reopened.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("siyu").getCollection("durability");
            Set<String> kept = ConcurrentHashMap.newKeySet();
            docs.find().projection(new Document("_id", 1)).forEach(doc -> kept.add(doc.getString("_id")));
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1_500);
            assertThat(kept).containsAll(acknowledged);
        }
    }

    private static String awaitReady(Process store) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String connection = line.substring("READY ".length());
                Thread drainer = new Thread(() -> drain(output));
                drainer.setDaemon(true);
                drainer.start();
                return connection;
            }
        }
        throw new IllegalStateException("the store process ended before it was ready");
    }

    private static void drain(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // keep the pipe from filling up
            }
        } catch (java.io.IOException ignored) {
            // the process is gone
        }
    }
}
