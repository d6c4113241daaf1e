package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.support.ChildJvm;

/**
 * The engine's JVM (embedded store included) is killed with SIGKILL while it appends three-event commits. Reopened,
 * the store holds every acknowledged commit whole, no part of any commit, and gap-free aggregate streams.
 */
class KilledWriterTest {

    @TempDir
    Path dataDir;

    @Test
    void afterAKill9EveryAcknowledgedCommitIsThereAndNoCommitIsHalfThere() throws Exception {
        Process writer = ChildJvm.start(EventWriterProcess.class, dataDir.toString());
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(Integer.parseInt(line.substring(4).trim()));
                    if (acknowledged.size() == 300) {
                        writer.destroyForcibly(); // SIGKILL mid-load
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);

        try (EmbeddedMongo reopened = EmbeddedMongo.onDisk(dataDir, "127.0.0.1", 0, true);
             MongoClient client = MongoClients.create(reopened.connectionString())) {
            JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
            MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(client.getDatabase("siyu"))
                    .eventSerializer(serializer).snapshotSerializer(serializer).build();

            List<String> payloads = engine.readEvents(null, false).map(event -> (String) event.getPayload()).toList();
            Map<Integer, List<String>> byCommit = payloads.stream().collect(Collectors.groupingBy(
                    payload -> Integer.parseInt(payload.split("-")[1]), TreeMap::new, Collectors.toList()));
            assertThat(byCommit.keySet()).containsAll(acknowledged);
            byCommit.forEach((commit, events) -> assertThat(events).as("commit %d", commit)
                    .containsExactly("commit-" + commit + "-0", "commit-" + commit + "-1", "commit-" + commit + "-2"));
            assertThat(payloads).doesNotHaveDuplicates();
            for (int aggregate = 0; aggregate < 10; aggregate++) {
                List<Long> sequences = engine.readEvents("w-" + aggregate).asStream()
                        .map(DomainEventMessage::getSequenceNumber).toList();
                assertThat(sequences).containsExactlyElementsOf(
                        LongStream.range(0, sequences.size()).boxed().toList());
            }
        }
    }
}
