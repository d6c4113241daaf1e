package io.siyu.engine.store;

import java.time.Duration;

import org.bson.Document;
import org.springframework.boot.actuate.health.AbstractReactiveHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/** {@code /actuator/health} includes whether the store answers a ping, and which store it is. */
@Component("store")
class StoreHealthIndicator extends AbstractReactiveHealthIndicator {

    private final MongoDatabase database;
    private final MongoEndpoint endpoint;

    StoreHealthIndicator(MongoDatabase reactiveMongoDatabase, MongoEndpoint endpoint) {
        super("The store did not answer a ping");
        this.database = reactiveMongoDatabase;
        this.endpoint = endpoint;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.from(database.runCommand(new Document("ping", 1)))
                .timeout(Duration.ofSeconds(3))
                .map(pong -> builder.up()
                        .withDetail("store", endpoint.embedded().isPresent() ? "embedded" : "mongodb")
                        .withDetail("database", endpoint.database())
                        .build());
    }
}
