package io.siyu.engine.eventstore;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.HdrHistogram.Histogram;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.bson.types.Binary;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.api.rules.EarningRules;
import io.siyu.engine.points.PointsExpiryPolicy;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.tier.TierBasis;
import io.siyu.engine.tier.TierLevel;
import io.siyu.engine.tier.TierQualificationPolicy;
import io.siyu.engine.tier.TierRetentionPolicy;
import io.siyu.engine.store.EmbeddedMongo;
import io.siyu.engine.store.EmbeddedStoreBench;

/**
 * The event store's figures, all measured in one run on one embedded server per backend (in memory, and the durable
 * H2 backend the engine runs with by default):
 * <ol>
 *     <li>raw {@code insertOne} of event-sized documents — the ceiling on this machine;</li>
 *     <li>our engine's {@code appendEvents} (one event per commit);</li>
 *     <li>the full command path (load the member, decide, append) for purchases over 10,000 members, 1 and 8
 *     senders, at ~10k and again at ~200k stored events;</li>
 *     <li>the same command path on the Axon Mongo extension's storage engine;</li>
 *     <li>replay of all stored events (≥ 200,000) through the real member-points projection.</li>
 * </ol>
 * Run: {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl crm-engine exec:java@bench-eventstore}
 */
public final class EventStoreBench {

    static final int MEMBERS = 10_000;
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final TierQualificationPolicy TIERS = new TierQualificationPolicy(List.of(
            new TierLevel("member", "普卡", "Member", 0), new TierLevel("gold", "金卡", "Gold", 500_000)),
            TierBasis.SPEND, 12, SHANGHAI);
    private static final int RAW_INSERTS = 5_000;
    private static final int COMMANDS = 3_000;
    /** {@code -Dbench.events=N}: stored events for the "200k" measures and the replay (the H2 backend's unique
     * indexes make a 200k load take over 15 minutes here, see README). */
    private static final int STORED_EVENTS_FOR_REPLAY = Integer.getInteger("bench.events", 200_000);
    private static final String LARGE = STORED_EVENTS_FOR_REPLAY / 1000 + "k";

    record Rate(String name, double perSecond, Histogram latency) {
    }

    public static void main(String[] args) throws Exception {
        List<String> backends = args.length > 0 ? List.of(args) : List.of("memory", "h2");
        for (String backend : backends) {
            report(backend, runOn(backend));
        }
        System.exit(0);
    }

    private static Map<String, Rate> runOn(String backend) throws Exception {
        Path dir = Files.createTempDirectory("siyu-eventstore-bench");
        EmbeddedMongo mongo = backend.equals("memory") ? EmbeddedMongo.inMemory("127.0.0.1", 0)
                : EmbeddedMongo.onDisk(dir, "127.0.0.1", 0, true);
        Map<String, Rate> rates = new LinkedHashMap<>();
        try (mongo; MongoClient client = MongoClients.create(mongo.connectionString())) {
            Serializer serializer = serializer();
            rates.put("1 raw insertOne", rawInserts(client.getDatabase("raw").getCollection("docs")));

            MongoEventStorageEngine appendEngine = ours(client.getDatabase("append"), serializer);
            rates.put("2 appendEvents", appendEvents(appendEngine));

            MongoDatabase siyu = client.getDatabase("siyu");
            MongoEventStorageEngine engine = ours(siyu, serializer);
            long[] sequences = registerMembers(engine);
            rates.put("3 command path, 1 sender, 10k events", commands(engine, serializer, 1, "a"));
            rates.put("3 command path, 8 senders, 10k events", commands(engine, serializer, 8, "b"));
            loadHistory(engine, sequences, STORED_EVENTS_FOR_REPLAY);
            rates.put("3 command path, 1 sender, " + LARGE + " events", commands(engine, serializer, 1, "c"));
            rates.put("3 command path, 8 senders, " + LARGE + " events", commands(engine, serializer, 8, "d"));
            System.out.println("progress " + backend + ": " + rates.keySet().size() + " measures done");

            EventStorageEngine extension = extension(client, serializer);
            registerMembers(extension);
            rates.put("4 extension command path, 1 sender", commands(extension, serializer, 1, "e"));
            rates.put("4 extension command path, 8 senders", commands(extension, serializer, 8, "f"));

            rates.put("5 replay through member-points", replay(engine, serializer, mongo.connectionString(), "replay"));
        }
        EmbeddedStoreBench.deleteRecursively(dir);
        return rates;
    }

    private static void report(String backend, Map<String, Rate> rates) {
        System.out.printf(Locale.ROOT, "%n== %s backend%n%-42s %12s %9s %9s%n", backend, "measure", "per second",
                "p50 ms", "p99 ms");
        rates.forEach((name, rate) -> System.out.printf(Locale.ROOT, "%-42s %12.0f %9s %9s%n", name,
                rate.perSecond(), rate.latency() == null ? "-" : ms(rate.latency().getValueAtPercentile(50)),
                rate.latency() == null ? "-" : ms(rate.latency().getValueAtPercentile(99))));
        double raw = rates.get("1 raw insertOne").perSecond();
        double command10k = rates.get("3 command path, 1 sender, 10k events").perSecond();
        System.out.printf(Locale.ROOT, "ratio 2/1 (append / raw insert)                 %.2f%n",
                rates.get("2 appendEvents").perSecond() / raw);
        System.out.printf(Locale.ROOT, "ratio 3/1 (command path, 1 sender / raw insert)  %.2f%n", command10k / raw);
        System.out.printf(Locale.ROOT, "ratio 3/1 (command path, 8 senders / raw insert) %.2f%n",
                rates.get("3 command path, 8 senders, 10k events").perSecond() / raw);
        System.out.printf(Locale.ROOT, "ratio 3/4 (ours / extension, 1 sender)           %.2f%n",
                command10k / rates.get("4 extension command path, 1 sender").perSecond());
        System.out.printf(Locale.ROOT, "ratio 3/4 (ours / extension, 8 senders)          %.2f%n",
                rates.get("3 command path, 8 senders, 10k events").perSecond()
                        / rates.get("4 extension command path, 8 senders").perSecond());
        System.out.printf(Locale.ROOT, "flatness (command path at %s / at 10k events)  %.2f%n", LARGE,
                rates.get("3 command path, 1 sender, " + LARGE + " events").perSecond() / command10k);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1e3);
    }

    static Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build()).build();
    }

    static MongoEventStorageEngine ours(MongoDatabase database, Serializer serializer) {
        return MongoEventStorageEngine.builder().database(database).eventSerializer(serializer)
                .snapshotSerializer(serializer).batchSize(500).build();
    }

    private static EventStorageEngine extension(MongoClient client, Serializer serializer) {
        return org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(client, "extension").build())
                .eventSerializer(serializer).snapshotSerializer(serializer).build();
    }

    // 1
    private static Rate rawInserts(MongoCollection<Document> docs) {
        byte[] payload = new byte[300];
        new Random(1).nextBytes(payload);
        for (int i = 0; i < 1_000; i++) { // warm-up: the first measure must not pay for the JIT
            docs.insertOne(new Document("_id", "warm-up-" + i).append("payload", new Binary(payload)));
        }
        Histogram latency = histogram();
        long start = System.nanoTime();
        for (int i = 0; i < RAW_INSERTS; i++) {
            long t0 = System.nanoTime();
            docs.insertOne(new Document("_id", (long) i).append("positions", List.of((long) i))
                    .append("streamKeys", List.of("member-" + i + ":0")).append("eventIds", List.of("event-" + i))
                    .append("events", List.of(new Document("id", "event-" + i).append("payload", new Binary(payload)))));
            latency.recordValue((System.nanoTime() - t0) / 1_000);
        }
        return new Rate("raw", RAW_INSERTS / seconds(start), latency);
    }

    // 2
    private static Rate appendEvents(MongoEventStorageEngine engine) {
        Histogram latency = histogram();
        long start = System.nanoTime();
        for (int i = 0; i < RAW_INSERTS; i++) {
            long t0 = System.nanoTime();
            engine.appendEvents(new GenericDomainEventMessage<>("Member", "append-" + i, 0,
                    new MemberRegistered("append-" + i, "openid-" + i, null, null, null, null, null, null)));
            latency.recordValue((System.nanoTime() - t0) / 1_000);
        }
        return new Rate("append", RAW_INSERTS / seconds(start), latency);
    }

    /** One commit per registration, as the engine writes them. */
    private static long[] registerMembers(EventStorageEngine engine) {
        for (int m = 0; m < MEMBERS; m++) {
            engine.appendEvents(new GenericDomainEventMessage<>("Member", memberId(m), 0,
                    new MemberRegistered(memberId(m), "openid-" + m, null, null, null, null, null, null)));
        }
        long[] next = new long[MEMBERS];
        java.util.Arrays.fill(next, 1);
        return next;
    }

    /**
     * Stored history up to {@code total} events: purchases appended directly, one two-event commit each, as the
     * engine writes them (commits are per command, so fat commits would measure something else). Eight loaders, each
     * with its own members, so that the durable backend's group commit is used as the engine uses it.
     */
    private static void loadHistory(MongoEventStorageEngine engine, long[] sequences, int total) throws Exception {
        for (int m = 0; m < MEMBERS; m++) { // the command runs have moved some members on
            sequences[m] = engine.lastSequenceNumberFor(memberId(m)).orElse(-1L) + 1;
        }
        long alreadyStored = engine.readEvents(null, false).count();
        int loaders = 8;
        long purchasesPerLoader = Math.max(0, (total - alreadyStored) / 2 / loaders + 1);
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < loaders; l++) {
            int loader = l;
            Thread thread = new Thread(() -> {
                Random random = new Random(loader);
                for (long p = 0; p < purchasesPerLoader; p++) {
                    int m = random.nextInt(MEMBERS / loaders) * loaders + loader;
                    String id = memberId(m);
                    String orderId = "H-" + loader + "-" + p;
                    engine.appendEvents(List.of(
                            new GenericDomainEventMessage<>("Member", id, sequences[m]++,
                                    new PurchaseRecorded(id, orderId, 100, "S1", SalesChannel.POS, Instant.now(),
                                            List.of())),
                            new GenericDomainEventMessage<>("Member", id, sequences[m]++,
                                    new PointsEarned(id, "purchase:" + orderId, 1, 0, 1, PointSource.PURCHASE, orderId,
                                            Instant.now(), null, 0, List.of()))));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    // 3 and 4
    static Rate commands(EventStorageEngine engine, Serializer serializer, int senders, String run)
            throws Exception {
        Configuration axon = axon(engine, serializer);
        try {
            Histogram latency = histogram();
            AtomicLong orders = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            int perSender = COMMANDS / senders;
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                Random random = new Random(run.hashCode() * 31L + s);
                Thread thread = new Thread(() -> {
                    try {
                        send(axon, random, senders, sender, perSender, run, orders, latency);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a sender failed", failure.get());
            }
            return new Rate(run, perSender * senders / seconds(start), latency);
        } finally {
            axon.shutdown();
        }
    }

    private static void send(Configuration axon, Random random, int senders, int sender, int perSender, String run,
                             AtomicLong orders, Histogram latency) {
        for (int i = 0; i < perSender; i++) {
            // Each sender owns its members, so senders do not queue on one member's lock.
            int member = random.nextInt(MEMBERS / senders) * senders + sender;
            String id = memberId(member);
            long t0 = System.nanoTime();
            axon.commandGateway().sendAndWait(new RecordPurchase(id, run + "-" + orders.incrementAndGet(),
                    12_850, "S1", SalesChannel.POS, Instant.now(), List.of()));
            synchronized (latency) {
                latency.recordValue((System.nanoTime() - t0) / 1_000);
            }
        }
    }

    private static Configuration axon(EventStorageEngine engine, Serializer serializer) throws Exception {
        @SuppressWarnings("unchecked")
        Class<Object> member = (Class<Object>) Class.forName("io.siyu.engine.member.Member");
        Configuration configuration = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> engine)
                .configureAggregate(member)
                .registerComponent(BusinessCalendar.class, c -> new BusinessCalendar(SHANGHAI))
                .registerComponent(EarningRuleCatalog.class, c -> EarningRuleCatalog.of(new EarningRuleSet(0,
                        Instant.MIN, new EarningRules(BigDecimal.ONE, Map.of(), Map.of(), Map.of(), Map.of(),
                                List.of(), null, 5, Map.of(7, 20)))))
                .registerComponent(PointsExpiryPolicy.class, c -> new PointsExpiryPolicy(12, SHANGHAI))
                .registerComponent(TierQualificationPolicy.class, c -> TIERS)
                .registerComponent(TierRetentionPolicy.class, c -> new TierRetentionPolicy(TIERS, 1, 12))
                .registerComponent(Clock.class, c -> Clock.systemUTC())
                .registerComponent(io.siyu.engine.points.RefundWindow.class,
                        c -> new io.siyu.engine.points.RefundWindow(Duration.ofDays(90)))
                // keys live in our engine's commits; the extension's engine keeps none
                .registerComponent(io.siyu.engine.member.RecordedFacts.class, c -> engine instanceof
                        MongoEventStorageEngine ours ? ours::factsCarrying : (aggregate, key) -> List.of())
                .buildConfiguration();
        configuration.start();
        return configuration;
    }

    // 5
    static Rate replay(MongoEventStorageEngine engine, Serializer serializer, String connectionString,
                       String projectionDatabase) throws Exception {
        long total = engine.readEvents(null, false).count();
        try (com.mongodb.reactivestreams.client.MongoClient reactive =
                     com.mongodb.reactivestreams.client.MongoClients.create(connectionString)) {
            MeterRegistry meters = new SimpleMeterRegistry();
            Function<Configuration, Object> projection = c -> newProjection(
                    reactive.getDatabase(projectionDatabase), c.queryUpdateEmitter(), meters);
            Configuration axon = DefaultConfigurer.defaultConfiguration()
                    .configureSerializer(c -> serializer)
                    .configureEmbeddedEventStore(c -> engine)
                    .eventProcessing(processing -> processing
                            // as the engine does: a batch's read-model writes go out after its last event
                            .registerDefaultHandlerInterceptor((c, processor) -> (unitOfWork, chain) -> {
                                Object result = chain.proceed();
                                io.siyu.projections.support.BatchFlush.run(unitOfWork);
                                return result;
                            })
                            .registerTrackingEventProcessor("member-points", c -> c.eventStore(),
                                    c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                            .andBatchSize(100))
                            .registerEventHandler(projection::apply))
                    .buildConfiguration();
            long start = System.nanoTime();
            axon.start();
            try {
                double seen = -1;
                long since = System.nanoTime();
                while (handled(meters) < total) {
                    Thread.sleep(20);
                    if (handled(meters) != seen) {
                        seen = handled(meters);
                        since = System.nanoTime();
                    } else if (seconds(since) > 60) {
                        throw new IllegalStateException("the replay stopped at " + seen + " of " + total + " events");
                    }
                }
                return new Rate("replay " + total + " events", total / seconds(start), null);
            } finally {
                axon.shutdown();
            }
        }
    }

    private static double handled(MeterRegistry meters) {
        return meters.find("siyu.projection.events").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static Object newProjection(com.mongodb.reactivestreams.client.MongoDatabase database,
                                        org.axonframework.queryhandling.QueryUpdateEmitter emitter,
                                        MeterRegistry meters) {
        try {
            var constructor = Class.forName("io.siyu.projections.points.MemberPointsProjection")
                    .getDeclaredConstructor(com.mongodb.reactivestreams.client.MongoDatabase.class,
                            org.axonframework.queryhandling.QueryUpdateEmitter.class, MeterRegistry.class);
            constructor.setAccessible(true);
            return constructor.newInstance(database, emitter, meters);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String memberId(int m) {
        return "member-" + m;
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
