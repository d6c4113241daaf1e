package io.siyu.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The MongoDB wire-protocol server Siyu starts in-process when no MongoDB is configured, so that a newcomer runs
 * the engine with nothing installed. The engine talks to it over the wire with the real drivers, exactly as it talks
 * to a real MongoDB: nothing in Siyu depends on which of the two answers.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    static final String STORE_FILE = "siyu.mv";

    private final MongoServer server;
    private final MongoBackend backend;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoBackend backend, String host, int port) {
        this.backend = backend;
        this.server = new MongoServer(backend);
        server.bind(host, port);
        this.address = server.getLocalAddress();
    }

    /**
     * Returns the free space inside the file to the file system: sparse chunks are rewritten, chunks moved to its
     * start and the file truncated. Done only here, before the server takes its first command: MVStore's chunk move failed an internal
     * assertion under concurrent writes (and closed the store), while on its own it takes about half a second per
     * 200 MB (the store-size bench's 196 MB file became 94 MB).
     */
    private static void compactBeforeServing(MVStore store) {
        var file = store.getFileStore();
        if (file.getFillRate() < 90 || file.getChunksFillRate() < 80) {
            long before = file.size();
            // rewrites sparse chunks, then moves chunks to the start and truncates, for at most a minute
            store.compactFile(60_000);
            log.info("Compacted the embedded store's file from {} MB to {} MB", before / 1_000_000,
                    file.size() / 1_000_000);
        }
    }

    /** Starts a server on any backend (benchmarks compare backends). */
    static EmbeddedMongo on(MongoBackend backend, String host, int port) {
        return new EmbeddedMongo(backend, host, port);
    }

    /** Starts a server keeping everything in memory, for tests. */
    public static EmbeddedMongo inMemory(String host, int port) {
        return inMemory(host, port, (database, command, body) -> { });
    }

    /**
     * Starts an in-memory server that shows every command to {@code gate} first: fault tests make the store refuse
     * commands for a while by throwing a {@link de.bwaldvogel.mongo.exception.MongoServerError} from it, which the
     * client receives as MongoDB's error reply with that code.
     */
    public static EmbeddedMongo inMemory(String host, int port, CommandGate gate) {
        EmbeddedMongo mongo = new EmbeddedMongo(new ConsistentMemoryBackend(gate), host, port);
        log.info("Embedded MongoDB-compatible store (in memory, nothing kept) listening on {}", mongo.connectionString());
        return mongo;
    }

    /**
     * Starts a server on an H2 MVStore file in {@code dataDir}; every acknowledged write is committed to the file
     * before it is acknowledged.
     */
    public static EmbeddedMongo onDisk(Path dataDir, String host, int port, boolean fsync) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(STORE_FILE);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + file.getParent(), e);
        }
        // pages are LZF-compressed: MVStore keeps a document and its index entries at about twice their BSON size
        // uncompressed, so the file could not come within 2x of the live data however well it was compacted
        MVStore store = new MVStore.Builder().fileName(file.toString()).compress().open();
        compactBeforeServing(store);
        EmbeddedMongo mongo = new EmbeddedMongo(new DurableH2Backend(store, fsync), host, port);
        log.info("No siyu.mongodb.uri configured: running the embedded MongoDB-compatible store (mongo-java-server, "
                        + "H2 MVStore) on {} with its data in {}. Fine for development; point SIYU_MONGODB_URI at a "
                        + "MongoDB replica set in production.", mongo.connectionString(), file);
        return mongo;
    }

    /** The in-memory backend with {@link AtomicFindAndModify}'s fix and {@link IdLookupIndex}. */
    private static final class ConsistentMemoryBackend extends MemoryBackend {

        private final AtomicFindAndModify findAndModify = new AtomicFindAndModify();
        private final CommandGate gate;

        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new IdLookupIndex.InMemory(name, getCursorRegistry());
        }

        ConsistentMemoryBackend(CommandGate gate) {
            this.gate = gate;
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            gate.check(database, command, query);
            return findAndModify.handle(command, () -> super.handleCommand(channel, database, command, query));
        }
    }

    /** Sees each command before the store runs it, and may refuse it by throwing. */
    @FunctionalInterface
    public interface CommandGate {
        /**
         * @param command the command's name ({@code insert}, {@code update}, {@code find}, …)
         * @param body    the whole command; {@code body.get(command)} names the collection
         */
        void check(String database, String command, Document body);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** The server's backend, for tests that look at its collections. */
    MongoBackend backend() {
        return backend;
    }

    /** The durable backend's file against its live data; empty for the in-memory store. */
    public Optional<StoreFootprint> footprint() {
        return backend instanceof DurableH2Backend durable ? Optional.of(durable.footprint()) : Optional.empty();
    }

    /** The durable backend's group commit, for its metrics; empty for the in-memory store. */
    Optional<GroupCommit> groupCommit() {
        return backend instanceof DurableH2Backend durable ? Optional.of(durable.groupCommit()) : Optional.empty();
    }

    @Override
    public void close() {
        server.shutdownNow(); // also closes the backend, which commits and closes the MVStore file
    }
}
