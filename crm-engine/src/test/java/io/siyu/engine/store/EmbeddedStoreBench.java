package io.siyu.engine.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.bson.Document;
import org.h2.mvstore.MVStore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * What durability costs on the embedded store: acknowledged inserts per second and their latency, for the stock H2
 * backend (commits once a second, so it loses acknowledged writes on a crash — the baseline), the durable backend
 * without and with fsync, the engine's store (durable, fsync, pages compressed), and the in-memory backend, each with one and with eight concurrent clients. Every figure is
 * reported as a ratio to the baseline measured in the same run.
 * <p>
 * Run: {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench}
 */
public final class EmbeddedStoreBench {

    private static final int WARMUP = 300;
    private static final int INSERTS_PER_CLIENT = 1_500;
    /** The engine's store: durable with fsync, pages compressed. */
    private static final String COMPRESSED = "h2-durable, fsync, compressed (engine)";
    private static final long SETTLE_MILLIS = 12_000;

    private record Result(String name, int clients, double perSecond, Histogram latency, long fileBytes,
                          long settledFileBytes) {
    }

    public static void main(String[] args) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 8}) {
            results.add(run("h2-stock (baseline, not durable)", clients, store -> new H2Backend(store)));
            results.add(run("h2-durable, group commit", clients, store -> new DurableH2Backend(store, false)));
            results.add(run("h2-durable, group commit + fsync", clients, store -> new DurableH2Backend(store, true)));
            results.add(run(COMPRESSED, clients, store -> new DurableH2Backend(store, true)));
            results.add(run("memory (nothing kept)", clients, store -> new MemoryBackend()));
        }
        System.out.printf(Locale.ROOT, "%n%-36s %7s %10s %8s %9s %9s %9s %10s %12s%n", "backend", "clients",
                "inserts/s", "ratio", "p50 ms", "p99 ms", "max ms", "file KiB", "after 12s KiB");
        for (Result result : results) {
            double baseline = results.stream()
                    .filter(r -> r.clients() == result.clients() && r.name().startsWith("h2-stock"))
                    .findFirst().orElseThrow().perSecond();
            System.out.printf(Locale.ROOT, "%-36s %7d %10.0f %7.2fx %9.2f %9.2f %9.2f %10s %12s%n", result.name(),
                    result.clients(), result.perSecond(), result.perSecond() / baseline,
                    result.latency().getValueAtPercentile(50) / 1e3, result.latency().getValueAtPercentile(99) / 1e3,
                    result.latency().getMaxValue() / 1e3,
                    kib(result.fileBytes()), kib(result.settledFileBytes()));
        }
    }

    /**
     * About 330 bytes shaped like a stored event's payload: field names and a timestamp that repeat from document to
     * document, ids that do not (so compression has what real events give it, not a run of one letter).
     */
    private static String payload(int i) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "{\"memberId\":\"" + new java.util.UUID(random.nextLong(), random.nextLong()) + "\",\"orderId\":\"O-"
                + random.nextLong(1_000_000_000L) + "\",\"amountFen\":" + random.nextInt(100_000)
                + ",\"storeId\":\"SH-00" + (i % 7) + "\",\"channel\":\"MINI_PROGRAM\",\"occurredAt\":"
                + "\"2026-11-30T01:4" + (i % 10) + ":00Z\",\"lines\":[{\"sku\":\"SKU-" + random.nextInt(10_000)
                + "\",\"quantity\":" + (1 + i % 3) + ",\"amountFen\":" + random.nextInt(50_000)
                + "}],\"points\":" + random.nextInt(1_000) + ",\"lotId\":\"" + new java.util.UUID(random.nextLong(),
                random.nextLong()) + "\",\"expiresAt\":\"2027-11-30T15:59:59Z\"}";
    }

    private static String kib(long bytes) {
        return bytes < 0 ? "-" : String.valueOf(bytes / 1024);
    }

    private static Result run(String name, int clients, Function<MVStore, MongoBackend> backendOn) throws Exception {
        Path dir = Files.createTempDirectory("siyu-bench");
        Path file = dir.resolve("bench.mv");
        MVStore.Builder builder = new MVStore.Builder().fileName(file.toString());
        MVStore store = (name.equals(COMPRESSED) ? builder.compress() : builder).open();
        MongoBackend backend = backendOn.apply(store);
        if (backend instanceof MemoryBackend) {
            store.close();
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        double perSecond;
        long fileBytes;
        long settledFileBytes;
        try (EmbeddedMongo server = EmbeddedMongo.on(backend, "127.0.0.1", 0);
             MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("bench").getCollection("docs");
            for (int i = 0; i < WARMUP; i++) {
                docs.insertOne(new Document("_id", "warmup-" + i).append("payload", payload(i)));
            }
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int clientNo = c;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < INSERTS_PER_CLIENT; i++) {
                        long t0 = System.nanoTime();
                        docs.insertOne(new Document("_id", clientNo + "-" + i).append("payload", payload(i)));
                        long micros = (System.nanoTime() - t0) / 1_000;
                        synchronized (latency) {
                            latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            perSecond = clients * INSERTS_PER_CLIENT / ((System.nanoTime() - start) / 1e9);
            fileBytes = backend instanceof MemoryBackend ? -1 : Files.size(file);
            Thread.sleep(SETTLE_MILLIS); // background commit and compaction get their turn
            settledFileBytes = backend instanceof MemoryBackend ? -1 : Files.size(file);
        }
        deleteRecursively(dir);
        return new Result(name, clients, perSecond, latency, fileBytes, settledFileBytes);
    }

    public static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
    }
}
