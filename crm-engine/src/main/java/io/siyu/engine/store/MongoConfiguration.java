package io.siyu.engine.store;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * One endpoint, two drivers: the sync driver for Axon's storage (called from command and processor threads) and the
 * reactive driver for the read side and the HTTP edge.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreProperties.class)
class MongoConfiguration {

    @Bean(destroyMethod = "close")
    MongoEndpoint mongoEndpoint(StoreProperties properties) {
        return MongoEndpoint.from(properties);
    }

    @Bean(destroyMethod = "close")
    com.mongodb.client.MongoClient syncMongoClient(MongoEndpoint endpoint) {
        return MongoClients.create(settings(endpoint));
    }

    @Bean
    com.mongodb.client.MongoDatabase syncMongoDatabase(com.mongodb.client.MongoClient client, MongoEndpoint endpoint) {
        return client.getDatabase(endpoint.database());
    }

    @Bean(destroyMethod = "close")
    MongoClient reactiveMongoClient(MongoEndpoint endpoint) {
        return com.mongodb.reactivestreams.client.MongoClients.create(settings(endpoint));
    }

    @Bean
    MongoDatabase reactiveMongoDatabase(MongoClient client, MongoEndpoint endpoint) {
        return client.getDatabase(endpoint.database());
    }

    /**
     * How many writes the embedded store's group commit has made durable, with how many commits, and the size of its
     * file against the live data in it ({@code siyu_embedded_store_file_bytes}, {@code siyu_embedded_store_live_bytes}).
     */
    @Bean
    MeterBinder embeddedStoreMetrics(MongoEndpoint endpoint) {
        return registry -> {
            endpoint.embedded().flatMap(EmbeddedMongo::groupCommit).ifPresent(groupCommit -> {
                FunctionCounter.builder("siyu.embedded.store.writes", groupCommit, GroupCommit::writes)
                        .description("write commands acknowledged by the embedded store").register(registry);
                FunctionCounter.builder("siyu.embedded.store.commits", groupCommit, GroupCommit::commits)
                        .description("MVStore commits that made them durable (fewer than writes under load)")
                        .register(registry);
            });
            endpoint.embedded().filter(store -> store.footprint().isPresent()).ifPresent(store -> {
                Gauge.builder("siyu.embedded.store.file", store, s -> s.footprint().map(StoreFootprint::fileBytes)
                                .orElse(0L)).baseUnit("bytes").description("size of the embedded store's file")
                        .register(registry);
                Gauge.builder("siyu.embedded.store.live", store, s -> s.footprint().map(StoreFootprint::liveBytes)
                                .orElse(0L)).baseUnit("bytes")
                        .description("bytes of the file still referenced (MVStore's account of live pages)")
                        .register(registry);
            });
        };
    }

    private static MongoClientSettings settings(MongoEndpoint endpoint) {
        return MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(endpoint.connectionString()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS))
                .build();
    }
}
