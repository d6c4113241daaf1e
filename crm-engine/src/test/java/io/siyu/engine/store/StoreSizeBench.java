package io.siyu.engine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.RawBsonDocument;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import io.siyu.api.member.RegisterMember;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.SiyuApplication;

/**
 * The default store's file against its live data, under load and at rest: the whole engine on the durable H2 store
 * in a temporary directory, purchases by 1,000 members through the command gateway with 4 in flight (each purchase
 * is a commit of events and the writes of every projection and token it causes). Every 5,000 purchases it prints the
 * file size, the live data (the sum of every stored document's BSON size, all collections) and their ratio; then the
 * same after a minute idle and after a restart and another minute. The ratio at the start is the baseline.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-store-size
 * -Dexec.args="25000"}
 */
public final class StoreSizeBench {

    private static final int MEMBERS = 1_000;

    private StoreSizeBench() {
    }

    public static void main(String[] args) throws Exception {
        int purchases = args.length > 0 ? Integer.parseInt(args[0]) : 25_000;
        Path data = Files.createTempDirectory("siyu-store-bench");
        System.out.println("data in " + data);
        ConfigurableApplicationContext engine = start(data);
        CommandGateway commands = engine.getBean(CommandGateway.class);
        for (int i = 0; i < MEMBERS; i++) {
            commands.sendAndWait(new RegisterMember("m-" + i, "o-" + i, null, null, null, null,
                    SalesChannel.MINI_PROGRAM, null));
        }
        long events = 0;
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(4);
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 1; i <= purchases; i++) {
            inFlight.acquire();
            sent.add(commands.send(new RecordPurchase("m-" + (i % MEMBERS), "O-" + i, 12_850, "SH-001",
                    SalesChannel.MINI_PROGRAM, java.time.Instant.now(), List.of()))
                    .whenComplete((done, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            failed.incrementAndGet();
                            System.out.println("purchase failed: " + failure);
                        }
                    }));
            if (i % 5_000 == 0) {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(any -> null).join();
                sent.clear();
                events = i * 2L + MEMBERS;
                print(String.format(Locale.ROOT, "%,7d purchases (%,5.0f/s)", i, i / ((System.nanoTime() - start)
                        / 1e9)), engine, data, events);
            }
        }
        System.out.println("failed purchases: " + failed.get());
        Thread.sleep(60_000);
        print("a minute idle", engine, data, events);
        engine.close();
        engine = start(data);
        Thread.sleep(60_000);
        print("restarted, a minute idle", engine, data, events);
        engine.close();
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(Path data) {
        // as arguments: they must win over the packaged application.yml
        return new SpringApplicationBuilder(SiyuApplication.class).run("--siyu.data-dir=" + data,
                "--server.port=0", "--siyu.access.first-operator=false", "--siyu.commands.queue-capacity=100000",
                "--logging.level.root=warn");
    }

    private static void print(String when, ConfigurableApplicationContext engine, Path data, long events)
            throws Exception {
        MongoDatabase database = engine.getBean(MongoClient.class)
                .getDatabase(engine.getBean(MongoEndpoint.class).database());
        long live = 0;
        for (String collection : database.listCollectionNames()) {
            for (RawBsonDocument document : database.getCollection(collection, RawBsonDocument.class).find()) {
                live += document.getByteBuffer().remaining();
            }
        }
        long file = Files.size(data.resolve("siyu.mv"));
        StoreFootprint footprint = engine.getBean(MongoEndpoint.class).embedded().flatMap(EmbeddedMongo::footprint)
                .orElseThrow();
        System.out.printf(Locale.ROOT, "%-26s file %,8.1f MB  live BSON %,7.1f MB  file/live %5.2f  "
                        + "(MVStore: file fill %d%%, chunks fill %d%%)  file per million events %,.0f MB%n", when,
                file / 1e6, live / 1e6, (double) file / live, footprint.fileFillPercent(),
                footprint.chunksFillPercent(), file / 1e6 / (events / 1e6));
    }
}
