package io.siyu.engine.eventstore;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngineTest;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.siyu.engine.store.EmbeddedMongo;

/**
 * Axon's own storage-engine suite (the one its JDBC, JPA and Mongo engines pass), run against our engine on the
 * embedded server over the wire. Every test gets a fresh database.
 */
class MongoEventStorageEngineConformanceTest
        extends BatchingEventStorageEngineTest<MongoEventStorageEngine, MongoEventStorageEngine.Builder> {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedMongo mongo;
    private static MongoClient client;

    private MongoDatabase database;

    @BeforeAll
    static void startStore() {
        mongo = EmbeddedMongo.inMemory("127.0.0.1", 0);
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterAll
    static void stopStore() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void setUp() {
        database = client.getDatabase("conformance-" + DATABASES.incrementAndGet());
        setTestSubject(createEngine());
    }

    @Override
    protected MongoEventStorageEngine createEngine(UnaryOperator<MongoEventStorageEngine.Builder> customization) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return customization.apply(MongoEventStorageEngine.builder()
                        .database(database)
                        .eventSerializer(serializer)
                        .snapshotSerializer(serializer)
                        .batchSize(100))
                .build();
    }
}
