package io.siyu.engine.eventstore;

import java.util.Locale;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;

import io.siyu.engine.member.RecordedFacts;
import io.siyu.engine.privacy.LookupHashes;
import io.siyu.engine.privacy.MemberDataKeys;
import io.siyu.engine.privacy.PersonalDataSerializer;

/** Our storage engine in place of the Axon Mongo extension's, and snapshots of member aggregates. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
class EventStoreConfiguration {

    @Bean
    EventStorageEngine eventStorageEngine(MongoDatabase syncMongoDatabase,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          EventStoreProperties properties,
                                          org.axonframework.config.Configuration axon,
                                          MemberDataKeys memberDataKeys, LookupHashes lookupHashes) {
        return MongoEventStorageEngine.builder()
                .database(syncMongoDatabase)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer(memberDataKeys))
                // idempotency keys may carry an external_userid: the store keeps their keyed hashes
                .keyHashing(lookupHashes::idempotencyKey)
                .upcasterChain(axon.upcasterChain())
                // each aggregate's @Revision: a snapshot of another revision is ignored and the state folded anew
                .snapshotFilter(axon.snapshotFilter())
                .batchSize(properties.batchSize())
                .gapTimeout(properties.gapTimeout())
                .writeConcern(writeConcern(properties.writeConcern()))
                .build();
    }

    /**
     * Members are cached between commands (a long-lived member's snapshot and tail are not read again for each one),
     * each entry checked against the store before use ({@link FreshAggregateCache}).
     */
    @Bean
    org.axonframework.common.caching.Cache memberCache(EventStorageEngine eventStorageEngine) {
        return new FreshAggregateCache((MongoEventStorageEngine) eventStorageEngine);
    }

    /** Commits carry the idempotency keys of their events; the aggregates look keys up here. */
    @Bean
    RecordedFacts recordedFacts(EventStorageEngine eventStorageEngine) {
        MongoEventStorageEngine engine = (MongoEventStorageEngine) eventStorageEngine;
        long backfilled = engine.addMissingKeys();
        if (backfilled > 0) {
            LoggerFactory.getLogger(EventStoreConfiguration.class)
                    .info("Added idempotency keys to {} commits written before commits carried them", backfilled);
        }
        return engine::factsCarrying;
    }

    /**
     * Snapshots hold aggregate state, which has fields and no getters: Jackson reads and writes the fields; personal
     * fields of the state are sealed as they are in events.
     */
    private static Serializer snapshotSerializer(MemberDataKeys memberDataKeys) {
        return new PersonalDataSerializer(JacksonSerializer.builder().objectMapper(StateJson.mapper()).build(),
                memberDataKeys);
    }

    private static WriteConcern writeConcern(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "majority" -> WriteConcern.MAJORITY.withJournal(true);
            case "acknowledged" -> WriteConcern.ACKNOWLEDGED;
            default -> throw new IllegalArgumentException(
                    "siyu.eventstore.write-concern must be 'majority' or 'acknowledged', not '" + name + "'");
        };
    }

    /**
     * Snapshots are taken on a thread of their own after the command that triggered one has committed, never on the
     * command thread; if snapshots fall behind, the oldest waiting one is dropped (the next trigger takes another).
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration axon,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory) {
        ThreadPoolExecutor snapshots = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1_000), new AxonThreadFactory("siyu-snapshots"),
                new ThreadPoolExecutor.DiscardOldestPolicy());
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(axon::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshots)
                .build();
    }

    @Bean
    SnapshotTriggerDefinition memberSnapshotTrigger(Snapshotter snapshotter, EventStoreProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }
}
