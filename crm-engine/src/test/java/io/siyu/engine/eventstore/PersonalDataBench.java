package io.siyu.engine.eventstore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.Serializer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.siyu.api.member.MemberRegistered;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.privacy.LookupHashes;
import io.siyu.engine.privacy.MasterKeys;
import io.siyu.engine.privacy.MemberDataKeys;
import io.siyu.engine.privacy.PersonalDataSerializer;
import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.store.EmbeddedStoreBench;

/**
 * What sealing personal fields costs, measured in one run on one durable embedded server (H2 backend, fsync), each
 * measure once with the plain Jackson serializer (the baseline: the engine before encryption) and once with personal
 * data sealed (per-member data keys in {@code member_keys}, keyed-hash idempotency keys), on databases of their own:
 * <ol>
 *     <li>registrations (each event carries openid, unionid, nickname and phone, sealed: the member's first personal
 *     write also makes and stores their data key);</li>
 *     <li>the command path (load the member, whose registration is opened, decide, append) for purchases, 1 and 8
 *     senders;</li>
 *     <li>what a projection rebuild reads: every stored event read from the store and deserialized (its personal
 *     fields opened), with a cold key cache (each member's key is read and unwrapped once) — without the projection's
 *     own writes, which are the same either way, so the ratio is the upper bound of a rebuild's slowdown;</li>
 *     <li>a whole rebuild: every stored event replayed through the real member-points projection, cold key cache.</li>
 * </ol>
 * Ratios are sealed / plain. Run: {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine
 * exec:java@bench-personal-data}
 */
public final class PersonalDataBench {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("siyu-personal-bench");
        Map<String, EventStoreBench.Rate> plain = new LinkedHashMap<>();
        Map<String, EventStoreBench.Rate> sealed = new LinkedHashMap<>();
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(dir, "127.0.0.1", 0, true);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            // alternate the two so that neither always runs on a warmer JVM or a fuller store
            run("plain-warmup", client, mongo.connectionString(), false, new LinkedHashMap<>());
            run("plain", client, mongo.connectionString(), false, plain);
            run("sealed", client, mongo.connectionString(), true, sealed);
        }
        EmbeddedStoreBench.deleteRecursively(dir);
        System.out.printf(Locale.ROOT, "%n%-34s %12s %12s %8s %9s %9s%n", "measure (per second)", "plain",
                "sealed", "ratio", "p99 plain", "p99 sealed");
        plain.forEach((name, base) -> {
            EventStoreBench.Rate with = sealed.get(name);
            System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %8.2f %9s %9s%n", name, base.perSecond(),
                    with.perSecond(), with.perSecond() / base.perSecond(), p99(base.latency()), p99(with.latency()));
        });
        System.exit(0);
    }

    private static void run(String name, MongoClient client, String connectionString, boolean seal,
                            Map<String, EventStoreBench.Rate> rates) throws Exception {
        MongoDatabase database = client.getDatabase("bench-" + name);
        Serializer jackson = EventStoreBench.serializer();
        MasterKeys masters = new MasterKeys("bench:" + Base64.getEncoder().encodeToString(new byte[32]), List.of());
        LookupHashes hashes = new LookupHashes(new byte[32]);
        Serializer serializer = seal ? new PersonalDataSerializer(jackson, new MemberDataKeys(database, masters,
                Clock.systemUTC(), Duration.ofMinutes(5), 100_000)) : jackson;
        MongoEventStorageEngine.Builder builder = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(serializer).snapshotSerializer(serializer).batchSize(500);
        if (seal) {
            builder.keyHashing(hashes::idempotencyKey);
        }
        MongoEventStorageEngine engine = builder.build();

        Histogram latency = EventStoreBench.histogram();
        long start = System.nanoTime();
        for (int m = 0; m < EventStoreBench.MEMBERS; m++) {
            String id = EventStoreBench.memberId(m);
            long t0 = System.nanoTime();
            engine.appendEvents(new GenericDomainEventMessage<>("Member", id, 0, new MemberRegistered(id,
                    "oBench" + m, "uBench" + m, "hash-" + m, "*******" + (1000 + m % 9000), "会员" + m,
                    SalesChannel.MINI_PROGRAM, "S1")));
            latency.recordValue((System.nanoTime() - t0) / 1_000);
        }
        rates.put("1 registrations", new EventStoreBench.Rate("registrations",
                EventStoreBench.MEMBERS / EventStoreBench.seconds(start), latency));
        rates.put("2 command path, 1 sender", EventStoreBench.commands(engine, serializer, 1, name + "-a"));
        rates.put("2 command path, 8 senders", EventStoreBench.commands(engine, serializer, 8, name + "-b"));
        // what a rebuild reads: every stored event, read and opened, starting with no key in memory
        Serializer cold = seal ? new PersonalDataSerializer(jackson, new MemberDataKeys(database, masters,
                Clock.systemUTC(), Duration.ofMinutes(5), 100_000)) : jackson;
        MongoEventStorageEngine reader = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(cold).snapshotSerializer(cold).batchSize(500).build();
        long readStart = System.nanoTime();
        long[] read = {0};
        reader.readEvents(null, false).forEach(event -> {
            if (event.getPayload() != null) {
                read[0]++;
            }
        });
        rates.put("3 rebuild read (every event opened)", new EventStoreBench.Rate("read",
                read[0] / EventStoreBench.seconds(readStart), null));
        // and a whole rebuild: every event through the real member-points projection, again from a cold key cache
        Serializer coldAgain = seal ? new PersonalDataSerializer(jackson, new MemberDataKeys(database, masters,
                Clock.systemUTC(), Duration.ofMinutes(5), 100_000)) : jackson;
        rates.put("4 rebuild (replay, member-points)", EventStoreBench.replay(MongoEventStorageEngine.builder()
                .database(database).eventSerializer(coldAgain).snapshotSerializer(coldAgain).batchSize(500).build(),
                coldAgain, connectionString, "replay-" + name));
        System.out.println("progress: " + name + " done, " + read[0] + " events read");
    }

    private static String p99(Histogram latency) {
        return latency == null ? "-" : String.format(Locale.ROOT, "%.2f", latency.getValueAtPercentile(99) / 1000.0);
    }
}
