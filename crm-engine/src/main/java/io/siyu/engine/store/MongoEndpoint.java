package io.siyu.engine.store;

import java.util.Optional;

/**
 * The MongoDB Siyu talks to: the configured one, or the embedded server it started (and stops on close).
 *
 * @param connectionString the connection string every client uses
 * @param database         the database holding all of Siyu's collections
 * @param embedded         the embedded server, when no MongoDB URI was configured
 */
public record MongoEndpoint(String connectionString, String database, Optional<EmbeddedMongo> embedded)
        implements AutoCloseable {

    static MongoEndpoint from(StoreProperties properties) {
        String database = properties.mongodb().database();
        if (properties.mongodb().configured()) {
            return new MongoEndpoint(properties.mongodb().uri(), database, Optional.empty());
        }
        StoreProperties.Embedded settings = properties.embedded();
        EmbeddedMongo server = settings.inMemory()
                ? EmbeddedMongo.inMemory(settings.host(), settings.port())
                : EmbeddedMongo.onDisk(properties.dataDir(), settings.host(), settings.port(), settings.fsync());
        return new MongoEndpoint(server.connectionString(), database, Optional.of(server));
    }

    @Override
    public void close() {
        embedded.ifPresent(EmbeddedMongo::close);
    }
}
