package io.siyu.engine.eventhandling;

import java.util.Set;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.projections.support.BatchFlush;

/**
 * No handler failure moves a token past an event:
 * <ul>
 *     <li>every event handler's failure reaches its processor (Axon's default logs it and goes on);</li>
 *     <li>an outage ({@link EventFailures#isOutage}) is rethrown: the tracking processor rolls the batch back,
 *     keeps its token and retries with backoff (1 s doubling to 60 s) for as long as it lasts; a projection's batch
 *     write at commit fails the same way and is retried as a batch, never dead-lettered;</li>
 *     <li>a failure specific to one event goes to the processing group's dead-letter queue (Axon's sequenced queue,
 *     in MongoDB's {@code deadletters}): later events of the same sequence (the member, or the reward) wait behind
 *     it, other members go on. Operators see and retry them at {@code /api/v1/admin/dead-letters}.</li>
 * </ul>
 * Sagas have no dead-letter queue in Axon: an outage is retried like above, and a redemption's other failures are
 * left to the redemption's own refusal handling.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeadLetterProperties.class)
class EventHandlingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EventHandlingConfiguration.class);
    private static final String SAGA_GROUP = "RewardRedemptionSagaProcessor";

    /**
     * Processing groups that are not dead-lettered: the in-memory rules catalogue (subscribing) fails its command; the
     * redemption saga has no dead-letter queue in Axon (its deadline covers it).
     */
    static final Set<String> NOT_DEAD_LETTERED = Set.of("earning-rules-catalog", SAGA_GROUP);

    @Bean
    ConfigurerModule eventFailureHandling(MongoTemplate axonMongoTemplate, Serializer serializer,
                                          DeadLetterProperties properties, MeterRegistry meters) {
        return configurer -> configurer.eventProcessing(processing -> configure(processing, axonMongoTemplate,
                serializer, properties, meters));
    }

    private static void configure(EventProcessingConfigurer processing, MongoTemplate mongoTemplate,
                                  Serializer serializer, DeadLetterProperties properties, MeterRegistry meters) {
        processing.registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
        // read models' batch writes happen after the batch's last event, before the token is stored (BatchFlush)
        processing.registerDefaultHandlerInterceptor((configuration, processor) -> (unitOfWork, chain) -> {
            Object result = chain.proceed();
            BatchFlush.run(unitOfWork);
            return result;
        });
        processing.registerDefaultDeadLetterPolicy(configuration -> deadLetterPolicy(meters));
        processing.registerDeadLetterQueueProvider(group -> {
            if (NOT_DEAD_LETTERED.contains(group)) {
                return null;
            }
            // Known-absent sequences are cached per segment, so a processor does not ask the queue for every event.
            processing.registerDeadLetteringEventHandlerInvokerConfiguration(group,
                    (configuration, builder) -> builder.enableSequenceIdentifierCache());
            return configuration -> queue(group, mongoTemplate, serializer, properties);
        });
        processing.registerListenerInvocationErrorHandler(SAGA_GROUP,
                configuration -> sagaFailures(meters));
    }

    private static SequencedDeadLetterQueue<EventMessage<?>> queue(String group, MongoTemplate mongoTemplate,
                                                                   Serializer serializer,
                                                                   DeadLetterProperties properties) {
        return new DeduplicatingDeadLetterQueue(MongoSequencedDeadLetterQueue.builder()
                .processingGroup(group)
                .mongoTemplate(mongoTemplate)
                .transactionManager(NoTransactionManager.instance())
                .serializer(serializer)
                .maxSequences(properties.maxSequences())
                .maxSequenceSize(properties.maxSequenceSize())
                .claimDuration(properties.claimDuration())
                .build());
    }

    /** Rethrows an outage (the processor retries); dead-letters anything else with a cause free of personal data. */
    static EnqueuePolicy<EventMessage<?>> deadLetterPolicy(MeterRegistry meters) {
        return (letter, failure) -> {
            if (EventFailures.isOutage(failure)) {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
            String cause = EventFailures.describe(failure);
            EventMessage<?> event = letter.message();
            log.warn("Dead-lettered event {} ({}) of {}: {}", event.getIdentifier(),
                    event.getPayloadType().getSimpleName(), event instanceof DomainEventMessage<?> domain
                            ? domain.getAggregateIdentifier() + "#" + domain.getSequenceNumber() : "no aggregate",
                    cause);
            meters.counter("siyu.events.dead-lettered").increment();
            return Decisions.enqueue(new EventFailure(cause));
        };
    }

    private static ListenerInvocationErrorHandler sagaFailures(MeterRegistry meters) {
        return (failure, event, saga) -> {
            if (EventFailures.isOutage(failure)) {
                throw failure;
            }
            meters.counter("siyu.events.saga-failures").increment();
            log.error("Redemption saga failed on event {} ({}): {}", event.getIdentifier(),
                    event.getPayloadType().getSimpleName(), EventFailures.describe(failure));
        };
    }

    /** What a dead letter keeps of its failure: {@link EventFailures#describe} only. */
    static final class EventFailure extends RuntimeException {
        EventFailure(String description) {
            super(description, null, false, false);
        }
    }
}
