package io.siyu.engine.store;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Siyu keeps its events, tokens and read models.
 *
 * @param mongodb the MongoDB to use; when its URI is blank the embedded store is started instead
 * @param dataDir where the embedded store keeps its file (ignored when a MongoDB URI is configured)
 * @param embedded how the embedded store runs
 */
@ConfigurationProperties(prefix = "siyu")
public record StoreProperties(Mongodb mongodb,
                              @DefaultValue("./data") Path dataDir,
                              Embedded embedded) {

    public StoreProperties {
        mongodb = mongodb == null ? new Mongodb(null, "siyu") : mongodb;
        embedded = embedded == null ? new Embedded(false, "127.0.0.1", 0, true) : embedded;
    }

    /**
     * @param uri      a MongoDB connection string ({@code SIYU_MONGODB_URI}); blank means "embedded"
     * @param database the database holding all of Siyu's collections
     */
    public record Mongodb(String uri, @DefaultValue("siyu") String database) {

        public boolean configured() {
            return uri != null && !uri.isBlank();
        }
    }

    /**
     * @param inMemory keep nothing on disk (tests); otherwise an H2 MVStore file in the data directory
     * @param host     the address the embedded server listens on (loopback unless you mean otherwise)
     * @param port     the port it listens on; 0 picks a free one
     * @param fsync    force each group commit to the disk, not only to the operating system, so that an
     *                 acknowledged write survives a power loss as well as a crash of the process
     */
    public record Embedded(@DefaultValue("false") boolean inMemory,
                           @DefaultValue("127.0.0.1") String host,
                           @DefaultValue("0") int port,
                           @DefaultValue("true") boolean fsync) {
    }
}
