package io.siyu.engine.member;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.member.MemberStreamResult;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.AdjustPoints;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Tokens;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.TestClock;

/**
 * Command latency and snapshot size against the length of a member's history, on the whole engine in this JVM, as
 * configured: members cached between commands, each use checked against the store by one point read. Members live
 * a simulated day at a time (the engine's clock moves a day): a check-in and a ¥100 purchase every day, a 10-point redemption
 * every 7th day and a +5 adjustment every 30th, lots expiring 12 months after their month. Measured, interleaved:
 * a purchase by a member with no history (a fresh one each time: the baseline), by the 1,000-event member and by the
 * 10,000-event member, one round a simulated day. Reports p50/p99 and the ratios to the baseline, and each member's
 * stored snapshot size once its history is built. Then the widget's reads over HTTP for the three members, with
 * their own tokens: {@code GET /me/tier} and the first page of {@code GET /me/points/history}, the newcomer's as the
 * baseline.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-member-state
 * -Dexec.args="memory"} ({@code disk} for the default H2 store in a temporary directory; a second argument sets
 * {@code siyu.eventstore.snapshot-threshold}, default 50).
 */
public final class MemberStateBench {

    private static final int MEASURED = 500;
    private static final int WARM_UP = 100;

    private MemberStateBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean disk = args.length > 0 && args[0].equals("disk");
        String threshold = args.length > 1 ? args[1] : "50";
        ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("benchClock",
                        Clock.class, () -> TestClock.SHARED, definition -> definition.setPrimary(true)))
                .properties("siyu.eventstore.snapshot-threshold=" + threshold, "siyu.embedded.in-memory=" + !disk,
                        "siyu.data-dir=" + Files.createTempDirectory("siyu-member-bench"), "server.port=0",
                        "siyu.access.first-operator=false", "logging.level.root=warn").run();
        try {
            CommandGateway commands = engine.getBean(CommandGateway.class);
            register(commands, "h1k");
            register(commands, "h10k");
            long[] events = {1, 1};
            int day = 0;
            long started = System.nanoTime();
            while (events[1] < 10_000) {
                day++;
                events[1] = live(commands, "h10k", day);
                if (events[0] < 1_000) {
                    events[0] = live(commands, "h1k", day);
                }
                TestClock.SHARED.advance(Duration.ofDays(1));
            }
            System.out.printf(Locale.ROOT, "histories: %,d simulated days in %.0f s; h1k at %,d events, h10k at %,d%n",
                    day, (System.nanoTime() - started) / 1e9, events[0], events[1]);
            Thread.sleep(2_000); // the snapshotter runs after commit, on its own thread
            MongoClient mongo = engine.getBean(MongoClient.class);
            var snapshots = mongo.getDatabase(engine.getBean(MongoEndpoint.class).database()).getCollection("snapshots");
            String oneKSnapshot = snapshotBytes(snapshots, "h1k");
            String tenKSnapshot = snapshotBytes(snapshots, "h10k");

            // the members go on living a day at a time while their purchases are timed
            Histogram fresh = new Histogram(3);
            Histogram oneK = new Histogram(3);
            Histogram tenK = new Histogram(3);
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                boolean measured = i >= WARM_UP;
                String newcomer = "new-" + i;
                String orderId = "B-" + i;
                register(commands, newcomer);
                time(measured ? fresh : null, () -> commands.sendAndWait(purchase(newcomer, orderId)));
                time(measured ? oneK : null, () -> commands.sendAndWait(purchase("h1k", orderId)));
                time(measured ? tenK : null, () -> commands.sendAndWait(purchase("h10k", orderId)));
                TestClock.SHARED.advance(Duration.ofDays(1));
            }
            System.out.printf(Locale.ROOT, "%nstore: %s; snapshot every %s events; %d measured purchases each (after %d "
                    + "warm-up)%n", disk ? "H2 on disk (durable)" : "in memory", threshold, MEASURED, WARM_UP);
            print("member with no history", fresh, fresh, snapshotBytes(snapshots, "new-" + (WARM_UP + MEASURED - 1)));
            print("member with 1,000 events", oneK, fresh, oneKSnapshot);
            print("member with 10,000 events", tenK, fresh, tenKSnapshot);

            // the widget's reads over HTTP with each member's own token: /me/tier (current standing, folded from the
            // newest checkpoint) and the first page of /me/points/history (read backwards from the newest event)
            String base = "http://localhost:" + engine.getEnvironment().getProperty("local.server.port");
            Tokens tokens = engine.getBean(Tokens.class);
            String newcomer = "new-" + (WARM_UP + MEASURED - 1);
            java.util.Map<String, String> bearer = new java.util.LinkedHashMap<>();
            for (String member : List.of(newcomer, "h1k", "h10k")) {
                bearer.put(member, "Bearer " + tokens.issue(Role.MEMBER, member, "bench", Duration.ofHours(2))
                        .accessToken());
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/api/v1/me/tier", "/api/v1/me/points/history")) {
                java.util.Map<String, Histogram> reads = new java.util.LinkedHashMap<>();
                bearer.keySet().forEach(member -> reads.put(member, new Histogram(3)));
                for (int i = 0; i < WARM_UP + MEASURED; i++) {
                    for (var member : bearer.entrySet()) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", member.getValue()).GET().build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": "
                                    + answer.body());
                        }
                        if (i >= WARM_UP) {
                            reads.get(member.getKey()).recordValue((System.nanoTime() - t0) / 1_000);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "%nGET %s, %d measured each (after %d warm-up), one at a time%n", path,
                        MEASURED, WARM_UP);
                print("member with no history", reads.get(newcomer), reads.get(newcomer), "");
                print("member with 1,000 events", reads.get("h1k"), reads.get(newcomer), "");
                print("member with 10,000 events", reads.get("h10k"), reads.get(newcomer), "");
            }
        } finally {
            engine.close();
        }
        System.exit(0);
    }

    private static void register(CommandGateway commands, String memberId) {
        commands.sendAndWait(new RegisterMember(memberId, "o-" + memberId, null, null, null, null,
                SalesChannel.MINI_PROGRAM, null));
    }

    private static RecordPurchase purchase(String memberId, String orderId) {
        return new RecordPurchase(memberId, orderId, 10_000, "SH-001", SalesChannel.MINI_PROGRAM,
                TestClock.SHARED.instant(), List.of());
    }

    /** One simulated day of the member; returns the number of events its stream then holds. */
    private static long live(CommandGateway commands, String memberId, int day) {
        MemberStreamResult last = commands.sendAndWait(new CheckIn(memberId, TestClock.SHARED.instant()));
        last = commands.sendAndWait(purchase(memberId, "D-" + day));
        if (day % 7 == 0) {
            last = commands.sendAndWait(new RedeemPoints(memberId, "R-" + day, 10, "bench"));
        }
        if (day % 30 == 0) {
            last = commands.sendAndWait(new AdjustPoints(memberId, "A-" + day, 5, "bench", "bench"));
        }
        return last.version() + 1;
    }

    private static void time(Histogram into, Supplier<Object> command) {
        long t0 = System.nanoTime();
        command.get();
        if (into != null) {
            into.recordValue((System.nanoTime() - t0) / 1_000);
        }
    }

    /** The stored snapshot's size, and its state's JSON before compression. */
    private static String snapshotBytes(com.mongodb.client.MongoCollection<Document> snapshots, String memberId)
            throws java.io.IOException {
        Document snapshot = snapshots.find(Filters.eq("_id", memberId)).first();
        if (snapshot == null) {
            return "none (fewer events than the snapshot threshold)";
        }
        byte[] stored = snapshot.get("payload", Binary.class).getData();
        byte[] json = "gzip".equals(snapshot.getString("encoding"))
                ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(stored)).readAllBytes()
                : stored;
        // where the bytes are: each top-level field of the state, and the lots and orders it holds
        StringBuilder parts = new StringBuilder();
        var state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        state.fields().forEachRemaining(field -> {
            int size = field.getValue().toString().length();
            if (size > 1_000) {
                parts.append(String.format(Locale.ROOT, " %s %,d B", field.getKey(), size));
            }
        });
        var lots = state.path("ledger").path("lots");
        var orders = state.path("orders").path("orders");
        return String.format(Locale.ROOT, "%,d bytes stored (%,d bytes of JSON:%s; %d lots, %d orders)",
                stored.length, json.length, parts, lots.size(), orders.size());
    }

    private static void print(String name, Histogram latency, Histogram baseline, String snapshot) {
        System.out.printf(Locale.ROOT, "%-27s p50 %6.2f ms (%.2fx)  p99 %6.2f ms (%.2fx)%s%n", name,
                latency.getValueAtPercentile(50) / 1000.0,
                (double) latency.getValueAtPercentile(50) / baseline.getValueAtPercentile(50),
                latency.getValueAtPercentile(99) / 1000.0,
                (double) latency.getValueAtPercentile(99) / baseline.getValueAtPercentile(99),
                snapshot.isEmpty() ? "" : "  snapshot " + snapshot);
    }
}
