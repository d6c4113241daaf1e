package io.siyu.engine.reward;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.siyu.api.member.RegisterMember;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.reward.DefineReward;
import io.siyu.api.reward.FindReward;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RewardView;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Tokens;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.TestClock;

/**
 * A reward with 100,000 claims against a reward with none, on the whole engine in this JVM (no aggregate cache:
 * every command loads the reward's snapshot and the events after it). First 100,000 reservations are made on one
 * reward (8 senders); then, interleaved, each timed: a reservation on a new reward (the baseline: a fresh one each
 * time), a reservation on the big reward, and a retry of one of its oldest reservations (answered from the commit
 * that recorded it). Last, whole redemptions over HTTP with the member's own token (hold, reserve, pay, the answer
 * once the points view has the payment): from the big reward and from a new one. Reports p50/p99, the ratios to the
 * baseline, and the big reward's stored snapshot.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-reward
 * -Dexec.args="100000"} (claims; {@code disk} as a second argument for the default H2 store).
 */
public final class RewardBench {

    private static final int MEASURED = 500;
    private static final int WARM_UP = 100;
    private static final int REDEMPTIONS = 200;

    private RewardBench() {
    }

    public static void main(String[] args) throws Exception {
        int claims = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean disk = args.length > 1 && args[1].equals("disk");
        ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("benchClock",
                        Clock.class, () -> TestClock.SHARED, definition -> definition.setPrimary(true)))
                .run("--siyu.embedded.in-memory=" + !disk,
                        "--siyu.data-dir=" + Files.createTempDirectory("siyu-reward-bench"), "--server.port=0",
                        "--siyu.access.first-operator=false", "--logging.level.root=warn");
        try {
            CommandGateway commands = engine.getBean(CommandGateway.class);
            commands.sendAndWait(new DefineReward("RW-BIG", "bench coupon", 10, 10_000_000, 1, 30));
            long started = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < claims; i = next.getAndIncrement()) {
                        commands.sendAndWait(new ReserveReward("RW-BIG", "m-" + i, "R-1", "CP-" + i));
                    }
                }));
            }
            for (Future<?> sender : done) {
                sender.get();
            }
            senders.shutdown();
            System.out.printf(Locale.ROOT, "%,d reservations on one reward in %.0f s%n", claims,
                    (System.nanoTime() - started) / 1e9);
            // the catalogue (and every claim) has caught up when it shows the stock the last reservation left
            long caughtUp = System.nanoTime();
            QueryGateway queries = engine.getBean(QueryGateway.class);
            while (queries.query(new FindReward("RW-BIG"), ResponseTypes.optionalInstanceOf(RewardView.class)).get()
                    .map(RewardView::stock).orElse(-1L) != 10_000_000L - claims) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "the rewards projection caught up %.1f s after the last reservation%n",
                    (System.nanoTime() - caughtUp) / 1e9);
            Thread.sleep(2_000); // the snapshotter runs after commit, on its own thread
            MongoClient mongo = engine.getBean(MongoClient.class);
            var snapshots = mongo.getDatabase(engine.getBean(MongoEndpoint.class).database())
                    .getCollection("snapshots");

            Histogram fresh = new Histogram(3);
            Histogram big = new Histogram(3);
            Histogram retry = new Histogram(3);
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                boolean measured = i >= WARM_UP;
                String rewardId = "RW-NEW-" + i;
                commands.sendAndWait(new DefineReward(rewardId, "bench coupon", 10, 10, 1, 30));
                int n = i;
                time(measured ? fresh : null, () -> commands.sendAndWait(
                        new ReserveReward(rewardId, "b-" + n, "R-1", "CP-N-" + n)));
                time(measured ? big : null, () -> commands.sendAndWait(
                        new ReserveReward("RW-BIG", "b-" + n, "R-1", "CP-B-" + n)));
                time(measured ? retry : null, () -> commands.sendAndWait(
                        new ReserveReward("RW-BIG", "m-" + n, "R-1", "CP-" + n)));
            }
            System.out.printf(Locale.ROOT, "%nstore: %s; %d measured commands each (after %d warm-up)%n",
                    disk ? "H2 on disk (durable)" : "in memory", MEASURED, WARM_UP);
            print("reserve, reward with no claims", fresh, fresh);
            print(String.format(Locale.ROOT, "reserve, reward with %,d claims", claims), big, fresh);
            print("retry of an old reservation on it", retry, fresh);
            System.out.println("big reward's snapshot: " + snapshotBytes(snapshots.find(
                    Filters.eq("_id", "RW-BIG")).first()));

            // whole redemptions over HTTP, as the widget makes them
            String base = "http://localhost:" + engine.getEnvironment().getProperty("local.server.port");
            Tokens tokens = engine.getBean(Tokens.class);
            HttpClient http = HttpClient.newHttpClient();
            Histogram redeemFresh = new Histogram(3);
            Histogram redeemBig = new Histogram(3);
            for (int i = 0; i < WARM_UP + REDEMPTIONS; i++) {
                String memberId = "w-" + i;
                commands.sendAndWait(new RegisterMember(memberId, "o-" + memberId, null, null, null, null,
                        SalesChannel.MINI_PROGRAM, null));
                commands.sendAndWait(new RecordPurchase(memberId, "O-" + i, 10_000, "SH-001",
                        SalesChannel.MINI_PROGRAM, TestClock.SHARED.instant(), List.of()));
                String rewardId = "RW-W-" + i;
                commands.sendAndWait(new DefineReward(rewardId, "bench coupon", 10, 10, 1, 30));
                String bearer = "Bearer " + tokens.issue(Role.MEMBER, memberId, "bench", Duration.ofHours(2))
                        .accessToken();
                boolean measured = i >= WARM_UP;
                redeem(http, base, bearer, "R-N", rewardId, measured ? redeemFresh : null);
                redeem(http, base, bearer, "R-B", "RW-BIG", measured ? redeemBig : null);
            }
            System.out.printf(Locale.ROOT, "%nPOST /me/redemptions {rewardId}, %d measured each (after %d warm-up)%n",
                    REDEMPTIONS, WARM_UP);
            print("redeem, reward with no claims", redeemFresh, redeemFresh);
            print(String.format(Locale.ROOT, "redeem, reward with %,d claims", claims), redeemBig, redeemFresh);
        } catch (Exception | Error failure) {
            failure.printStackTrace(System.out);
            System.out.flush();
            throw failure;
        } finally {
            engine.close();
        }
        System.exit(0);
    }

    private static void redeem(HttpClient http, String base, String bearer, String redemptionId, String rewardId,
                               Histogram into) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/me/redemptions"))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"redemptionId\":\"" + redemptionId
                        + "\",\"rewardId\":\"" + rewardId + "\"}"))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"redeemed\"")) {
            throw new IllegalStateException("redemption answered " + answer.statusCode() + ": " + answer.body());
        }
        if (into != null) {
            into.recordValue((System.nanoTime() - t0) / 1_000);
        }
    }

    private static void time(Histogram into, Runnable command) {
        long t0 = System.nanoTime();
        command.run();
        if (into != null) {
            into.recordValue((System.nanoTime() - t0) / 1_000);
        }
    }

    private static String snapshotBytes(Document snapshot) throws java.io.IOException {
        if (snapshot == null) {
            return "none";
        }
        byte[] stored = snapshot.get("payload", Binary.class).getData();
        byte[] json = "gzip".equals(snapshot.getString("encoding"))
                ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(stored)).readAllBytes()
                : stored;
        return String.format(Locale.ROOT, "%,d bytes stored (%,d bytes of JSON: %s)", stored.length, json.length,
                new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void print(String name, Histogram latency, Histogram baseline) {
        System.out.printf(Locale.ROOT, "%-40s p50 %6.2f ms (%.2fx)  p99 %6.2f ms (%.2fx)%n", name,
                latency.getValueAtPercentile(50) / 1000.0,
                (double) latency.getValueAtPercentile(50) / baseline.getValueAtPercentile(50),
                latency.getValueAtPercentile(99) / 1000.0,
                (double) latency.getValueAtPercentile(99) / baseline.getValueAtPercentile(99));
    }
}
