package io.siyu.engine.eventstore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.json.JacksonSerializer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.siyu.engine.store.EmbeddedMongo;

/**
 * The engine's default shape in a JVM of its own: the embedded store on disk and the event storage engine,
 * appending three-event commits in a loop and printing {@code ACK n} once commit n is acknowledged. A test kills it.
 */
public final class EventWriterProcess {

    private EventWriterProcess() {
    }

    public static void main(String[] args) {
        EmbeddedMongo mongo = EmbeddedMongo.onDisk(Path.of(args[0]), "127.0.0.1", 0, true);
        MongoClient client = MongoClients.create(mongo.connectionString());
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(client.getDatabase("siyu"))
                .eventSerializer(serializer).snapshotSerializer(serializer).build();
        long[] nextSequence = new long[10];
        System.out.println("READY");
        System.out.flush();
        for (int commit = 0; ; commit++) {
            int aggregate = commit % 10;
            List<GenericDomainEventMessage<String>> events = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                events.add(new GenericDomainEventMessage<>("Writer", "w-" + aggregate, nextSequence[aggregate]++,
                        "commit-" + commit + "-" + j));
            }
            engine.appendEvents(events);
            System.out.println("ACK " + commit);
            System.out.flush();
        }
    }
}
