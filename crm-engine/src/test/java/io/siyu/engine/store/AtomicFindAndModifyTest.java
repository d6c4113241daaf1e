package io.siyu.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/** Every caller of findAndModify $inc gets its own value, as on MongoDB (the stock embedded server breaks this). */
class AtomicFindAndModifyTest {

    @TempDir
    Path dataDir;

    @Test
    void concurrentIncrementsEachSeeTheirOwnValueInMemory() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory("127.0.0.1", 0)) {
            assertThat(distinctValuesFromConcurrentIncrements(mongo)).isEqualTo(4_000);
        }
    }

    @Test
    void concurrentIncrementsEachSeeTheirOwnValueOnDisk() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, false)) {
            assertThat(distinctValuesFromConcurrentIncrements(mongo)).isEqualTo(4_000);
        }
    }

    private static int distinctValuesFromConcurrentIncrements(EmbeddedMongo mongo) throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        List<MongoClient> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            MongoClient client = MongoClients.create(mongo.connectionString());
            clients.add(client);
            MongoCollection<Document> counters = client.getDatabase("test").getCollection("counters");
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    Document counter = counters.findOneAndUpdate(Filters.eq("_id", "global"), Updates.inc("next", 1L),
                            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
                    seen.add(counter.get("next", Number.class).longValue());
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        clients.forEach(MongoClient::close);
        return seen.size();
    }
}
