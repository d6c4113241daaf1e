package io.siyu.engine.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.Configuration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.siyu.engine.store.EmbeddedMongo;

/**
 * Two independent engines (own Axon configuration, own Mongo client, one database) write to the same aggregates at
 * once while a tracking processor reads: every acknowledged event arrives exactly once, in per-aggregate order.
 */
class TwoEnginesTest {

    record Increment(@TargetAggregateIdentifier String id) {
    }

    record Incremented(String id) {
    }

    record Count(@TargetAggregateIdentifier String id) {
    }

    static class Tally {
        @AggregateIdentifier
        private String id;
        private int count;

        Tally() {
        }

        @CommandHandler
        @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
        void handle(Increment command) {
            apply(new Incremented(command.id()));
        }

        /** Answers without writing: what a refusal or a retry's earlier answer does. */
        @CommandHandler
        int handle(Count command) {
            return count;
        }

        @EventSourcingHandler
        void on(Incremented event) {
            id = event.id();
            count++;
        }
    }

    record Delivery(String aggregateId, long sequence) {
    }

    @ProcessingGroup("reader")
    static class Reader {
        private final List<Delivery> delivered;

        Reader(List<Delivery> delivered) {
            this.delivered = delivered;
        }

        @EventHandler
        void on(Incremented event, @SequenceNumber long sequence) {
            delivered.add(new Delivery(event.id(), sequence));
        }
    }

    private EmbeddedMongo mongo;
    private final List<MongoClient> clients = new ArrayList<>();
    private final List<Configuration> configurations = new ArrayList<>();

    @BeforeEach
    void startStore() {
        mongo = EmbeddedMongo.inMemory("127.0.0.1", 0);
    }

    @AfterEach
    void stopEverything() {
        configurations.forEach(Configuration::shutdown);
        clients.forEach(MongoClient::close);
        mongo.close();
    }

    private MongoEventStorageEngine engine() {
        MongoClient client = MongoClients.create(mongo.connectionString());
        clients.add(client);
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return MongoEventStorageEngine.builder().database(client.getDatabase("shared"))
                .eventSerializer(serializer).snapshotSerializer(serializer).batchSize(100).build();
    }

    private Configuration axon(List<Delivery> deliveredOrNull) {
        return axon(deliveredOrNull, null);
    }

    /** @param cache for the aggregate, given its engine; {@code null} for none */
    private Configuration axon(List<Delivery> deliveredOrNull,
                               java.util.function.Function<MongoEventStorageEngine, Cache> cache) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        MongoEventStorageEngine engine = engine();
        AggregateConfigurer<Tally> tally = AggregateConfigurer.defaultConfiguration(Tally.class);
        if (cache != null) {
            tally.configureCache(c -> cache.apply(engine));
        }
        var configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> engine)
                .configureAggregate(tally);
        if (deliveredOrNull != null) {
            configurer.eventProcessing(processing -> processing
                    .registerTrackingEventProcessor("reader")
                    .registerEventHandler(c -> new Reader(deliveredOrNull)));
        }
        Configuration configuration = configurer.buildConfiguration();
        configuration.start();
        configurations.add(configuration);
        return configuration;
    }

    @Test
    void everyAcknowledgedEventIsDeliveredExactlyOnceInPerAggregateOrder() throws Exception {
        List<Delivery> delivered = new CopyOnWriteArrayList<>();
        Configuration first = axon(delivered);
        Configuration second = axon(null);
        Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
        AtomicLong conflicts = new AtomicLong();

        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Configuration axon = t % 2 == 0 ? first : second;
            Random random = new Random(t);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    String id = "tally-" + random.nextInt(6);
                    while (true) {
                        try {
                            axon.commandGateway().sendAndWait(new Increment(id));
                            acknowledged.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
                            break;
                        } catch (ConcurrencyException | AggregateStreamCreationException lostTheRace) {
                            conflicts.incrementAndGet(); // nothing was written: send again
                        }
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        int total = acknowledged.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).isEqualTo(800);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delivered.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // anything delivered twice would arrive now
        assertThat(delivered).hasSize(total).doesNotHaveDuplicates();
        Map<String, List<Long>> byAggregate = delivered.stream().collect(Collectors.groupingBy(Delivery::aggregateId,
                Collectors.mapping(Delivery::sequence, Collectors.toList())));
        acknowledged.forEach((id, count) -> assertThat(byAggregate.get(id))
                .as("sequence numbers of %s in delivery order", id)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, count.get()).boxed().toList()));
        System.out.printf("two engines: %d events, %d cross-engine conflicts retried%n", total, conflicts.get());
    }

    @Test
    void aDuplicateAggregateSequenceIsRefusedAcrossEngines() {
        MongoEventStorageEngine one = engine();
        MongoEventStorageEngine other = engine();
        one.appendEvents(new GenericDomainEventMessage<>("Tally", "x", 0, "first"));
        assertThatThrownBy(() -> other.appendEvents(new GenericDomainEventMessage<>("Tally", "x", 0, "again")))
                .isInstanceOf(AggregateStreamCreationException.class);
        one.appendEvents(new GenericDomainEventMessage<>("Tally", "x", 1, "second"));
        assertThatThrownBy(() -> other.appendEvents(new GenericDomainEventMessage<>("Tally", "x", 1, "again")))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(one.readEvents("x").asStream().map(event -> (String) event.getPayload()))
                .containsExactly("first", "second");
        // The refused writers' positions were tombstoned: a reader sees the two events and no gap.
        List<Object> all = one.readEvents(null, false).map(event -> event.getPayload()).collect(Collectors.toList());
        assertThat(all).containsExactly("first", "second");
    }

    @Test
    void aCachedAggregateIsCheckedAgainstTheStoreBeforeItAnswers() {
        Configuration cached = axon(null, FreshAggregateCache::new);
        Configuration other = axon(null);
        Configuration unchecked = axon(null, engine -> new WeakReferenceCache());
        for (int i = 0; i < 3; i++) {
            cached.commandGateway().sendAndWait(new Increment("t"));
        }
        assertThat((Integer) unchecked.commandGateway().sendAndWait(new Count("t"))).isEqualTo(3);
        assertThat((Integer) cached.commandGateway().sendAndWait(new Count("t"))).isEqualTo(3);
        // the other engine writes twice; both caching engines hold the aggregate at 3
        other.commandGateway().sendAndWait(new Increment("t"));
        other.commandGateway().sendAndWait(new Increment("t"));
        assertThat((Integer) unchecked.commandGateway().sendAndWait(new Count("t")))
                .as("a plain cache answers from the old state").isEqualTo(3);
        assertThat((Integer) cached.commandGateway().sendAndWait(new Count("t")))
                .as("the checked cache sees the newer event and loads").isEqualTo(5);
        // and it writes on from there without a conflict
        cached.commandGateway().sendAndWait(new Increment("t"));
        assertThat((Integer) other.commandGateway().sendAndWait(new Count("t"))).isEqualTo(6);
    }
}
