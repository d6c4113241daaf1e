package io.siyu.engine.axon;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.saga.repository.MongoSagaStore;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import io.siyu.engine.privacy.MemberDataKeys;
import io.siyu.engine.privacy.PersonalDataSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;

import io.siyu.engine.store.MongoEndpoint;

/**
 * Axon on MongoDB without Axon Server: tokens in the Axon Mongo extension's token store (events and snapshots are in
 * our own engine, package {@code eventstore}), Jackson for everything Axon stores, and a command bus that never runs
 * a handler on the caller's (Netty) thread.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandProperties.class)
class AxonConfiguration {

    /**
     * Jackson with its own mapper: what is stored in the event store must not change when the HTTP layer's JSON
     * settings do. XStream, Axon 4's default, cannot serialize tokens on Java 17. Personal fields are sealed with
     * their member's data key on the way in and opened on the way out ({@link PersonalDataSerializer}).
     */
    @Bean
    @Primary
    Serializer serializer(MemberDataKeys memberDataKeys) {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        return new PersonalDataSerializer(JacksonSerializer.builder().objectMapper(mapper).build(), memberDataKeys);
    }

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient syncMongoClient, MongoEndpoint endpoint) {
        return DefaultMongoTemplate.builder().mongoDatabase(syncMongoClient, endpoint.database()).build();
    }

    @Bean
    TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer) {
        return MongoTokenStore.builder().mongoTemplate(axonMongoTemplate).serializer(serializer).build();
    }

    /** Sagas in MongoDB too; they end within seconds, so the collection only holds redemptions in flight. */
    @Bean
    SagaStore<Object> sagaStore(MongoTemplate axonMongoTemplate, Serializer serializer) {
        return MongoSagaStore.builder().mongoTemplate(axonMongoTemplate).serializer(serializer).build();
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService commandExecutor(CommandProperties properties) {
        // Bounded: when the engine is saturated a caller is told so (503) instead of queueing without limit.
        return new ThreadPoolExecutor(properties.threads(), properties.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()), new AxonThreadFactory("siyu-commands"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("siyu-command-retries"));
    }

    /** The gateway retries a command that lost a race on its member across nodes (see ConflictRetryScheduler). */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConflictRetryScheduler(commandRetryExecutor, 3, 20))
                .build();
    }

    @Bean
    @Qualifier("localSegment")
    CommandBus commandBus(ExecutorService commandExecutor,
                          TransactionManager transactionManager,
                          DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                          org.axonframework.config.Configuration axon) {
        AsynchronousCommandBus bus = AsynchronousCommandBus.builder()
                .executor(commandExecutor)
                .transactionManager(transactionManager)
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
    }
}
