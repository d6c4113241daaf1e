package io.siyu.engine.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.SiyuApplication;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.support.TestClock;

/**
 * Due work at a brand's scale, against the whole engine in this JVM: members each earn one points lot, all lots
 * expiring in the same minute; the engine's clock is moved past that minute and the bench waits until every member's
 * expiry has been sent and every balance reads 0 in the points view. Baseline: the same with 3,000 members, in the
 * same run. Reports members, time from the minute to the last expiry, rate, and the ratio to the baseline.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-due-work
 * -Dexec.args="300000 memory"} (second argument {@code disk} for the default H2 store in a temporary directory).
 */
public final class DueWorkBench {

    private static final int BASELINE = 3_000;

    private DueWorkBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        boolean disk = args.length > 1 && args[1].equals("disk");
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("siyu-due-bench");
        // the engine's clock is one the bench moves forward (registered here: a @Configuration in this package would
        // be picked up by every engine test's component scan)
        ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class)
                .initializers(context -> ((org.springframework.context.support.GenericApplicationContext) context)
                        .registerBean("benchClock", Clock.class, () -> TestClock.SHARED,
                                definition -> definition.setPrimary(true)))
                .properties("siyu.embedded.in-memory=" + !disk, "siyu.data-dir=" + data, "server.port=0",
                        "siyu.access.first-operator=false", "siyu.schedule.poll-interval=200ms",
                        "siyu.commands.queue-capacity=100000", "logging.level.root=warn").run();
        try {
            Run baseline = run(engine, "base", BASELINE);
            Run large = run(engine, "large", members);
            System.out.printf(Locale.ROOT, "%nstore: %s%n", disk ? "H2 on disk (durable)" : "in memory");
            print(baseline, baseline);
            print(large, baseline);
        } finally {
            engine.close();
        }
        System.exit(0);
    }

    record Run(int members, Duration filing, Duration lastExpiryAfterDue, double perSecond) {
    }

    private static void print(Run run, Run baseline) {
        System.out.printf(Locale.ROOT, "%,9d members: filed in %5.1f s; all expired %6.1f s after the minute "
                        + "(%,8.0f expiries/s, %.2fx the %,d-member rate)%n", run.members(),
                run.filing().toMillis() / 1000.0, run.lastExpiryAfterDue().toMillis() / 1000.0, run.perSecond(),
                run.perSecond() / baseline.perSecond(), baseline.members());
    }

    private static Run run(ConfigurableApplicationContext engine, String name, int members) throws Exception {
        CommandGateway commands = engine.getBean(CommandGateway.class);
        TestClock clock = TestClock.SHARED;
        MeterRegistry meters = engine.getBean(MeterRegistry.class);
        Instant start = Instant.now();
        double filedBefore = filed(meters);
        double sentBefore = sent(meters);
        List<String> ids = new ArrayList<>(members);
        Semaphore inFlight = new Semaphore(256);
        Instant occurredAt = clock.instant();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String memberId = name + "-" + i;
            ids.add(memberId);
            inFlight.acquire();
            all.add(commands.send(new RegisterMember(memberId, "o-" + memberId, null, null, null, null,
                            SalesChannel.MINI_PROGRAM, null))
                    .thenCompose(registered -> commands.send(new RecordPurchase(memberId, "O-" + memberId, 10_000,
                            "SH-001", SalesChannel.MINI_PROGRAM, occurredAt, List.of())))
                    .whenComplete((done, failure) -> inFlight.release()));
            if (all.size() == 10_000) {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
                all.clear();
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        while (filed(meters) - filedBefore < members) {
            Thread.sleep(100); // the due-work processor files each lot's expiry from the events
        }
        Duration filing = Duration.between(start, Instant.now());

        // every lot expires at the end of the same month: move the engine's clock just past that minute
        MongoClient mongo = engine.getBean(MongoClient.class);
        MongoCollection<Document> buckets = mongo.getDatabase(engine.getBean(MongoEndpoint.class).database())
                .getCollection("due_buckets");
        Document anyBucket = buckets.find(Filters.regex("_id", "^[0-9]+:0$")).sort(new Document("_id", -1)).first();
        long minute = Long.parseLong(anyBucket.getString("_id").split(":")[0]);
        Instant due = Instant.ofEpochSecond(minute * 60);
        clock.advance(Duration.between(clock.instant(), due).plusSeconds(1));
        Instant dueAtWall = Instant.now();
        while (sent(meters) - sentBefore < members) {
            Thread.sleep(20);
        }
        Duration late = Duration.between(dueAtWall, Instant.now());
        MongoCollection<Document> points = mongo.getDatabase(engine.getBean(MongoEndpoint.class).database())
                .getCollection("member_points");
        long notExpired;
        do {
            notExpired = 0;
            for (int from = 0; from < ids.size(); from += 1_000) {
                for (Document view : points.find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + 1_000))))) {
                    notExpired += view.get("balance", Number.class).longValue() == 0 ? 0 : 1;
                }
            }
            if (notExpired > 0) {
                Thread.sleep(500); // the points view catches up with the expiries
            }
        } while (notExpired > 0);
        return new Run(members, filing, late, members / Math.max(0.001, late.toMillis() / 1000.0));
    }

    private static double filed(MeterRegistry meters) {
        return meters.find("siyu.due-work.filed").tag("kind", "EXPIRE_POINTS").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double sent(MeterRegistry meters) {
        return meters.find("siyu.due-work.sent").tag("kind", "EXPIRE_POINTS").tag("outcome", "done").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
