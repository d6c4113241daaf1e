package io.siyu.engine.store;

import java.util.Locale;
import java.util.Set;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's H2 backend commits its MVStore only in the background, once a second, so a crash loses writes
 * it has already acknowledged. This backend commits (group-committed across concurrent connections) before a write
 * command is answered.
 * <p>
 * Every commit writes a new MVStore chunk, and MVStore keeps superseded chunks for 45 s by default; at hundreds of
 * commits a second that grew the file by megabytes a second (and a 15 s retention still let it reach 45× its live
 * data, measured by {@code StoreSizeBench}). Superseded chunks are reused at once instead, and every command
 * registers the store version it started on for as long as it runs, so a query scanning while commits and
 * compaction go on never finds its chunks reused (with neither, a scan under load failed with "Chunk … not found").
 * A background task rewrites sparsely filled chunks; their space is reused, but the file keeps its high-water mark.
 */
final class DurableH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);
    private static final int COMPACT_BELOW_FILL_RATE = 70;
    private static final int COMPACT_TO_FILL_RATE = 85;
    private static final int COMPACT_WRITE_BYTES = 16 * 1024 * 1024;


    private static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "create", "drop", "dropindexes",
            "dropdatabase", "renamecollection");

    private final GroupCommit groupCommit;
    private final AtomicFindAndModify findAndModify = new AtomicFindAndModify();
    private final MVStore store;
    private final ScheduledExecutorService compactor;

    DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.store = store;
        this.groupCommit = new GroupCommit(() -> {
            store.commit();
            if (fsync) {
                store.sync();
            }
        });
        store.setRetentionTime(0);
        this.compactor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "siyu-embedded-store-compactor");
            thread.setDaemon(true);
            return thread;
        });
        compactor.scheduleWithFixedDelay(this::compactIfSparse, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * Rewrites chunks whose pages are mostly superseded (their live pages move into a new chunk, the old one becomes
     * free space that new chunks reuse), at most {@link #COMPACT_WRITE_BYTES} a run. The file is not truncated while
     * the store runs: MVStore's chunk move ({@code compactMoveChunks}) failed an internal assertion under concurrent
     * writes and closed the store (seen in the test suite), so it is not used.
     */
    private void compactIfSparse() {
        try {
            if (!store.isClosed() && store.getFileStore().getChunksFillRate() < COMPACT_BELOW_FILL_RATE) {
                store.compact(COMPACT_TO_FILL_RATE, COMPACT_WRITE_BYTES);
            }
        } catch (RuntimeException e) {
            log.warn("Compaction of the embedded store failed; it is retried in 5 s", e);
        }
    }

    /**
     * Databases whose {@code _id} indexes also find a document by {@code _id} plus other conditions
     * ({@link IdLookupIndex}). Called from the superclass's constructor too (for the databases already in the file),
     * before this class's fields are set: the store comes from the superclass.
     */
    @Override
    protected MongoDatabase openOrCreateDatabase(String name) {
        return new IdLookupIndex.OnH2(name, getMvStore(), getCursorRegistry());
    }

    @Override
    public void close() {
        compactor.shutdownNow();
        super.close();
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        MVStore.TxCounter reading = store.registerVersionUsage();
        Document reply;
        try {
            reply = findAndModify.handle(command, () -> super.handleCommand(channel, database, command, query));
        } finally {
            store.deregisterVersionUsage(reading);
        }
        if (WRITE_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
            groupCommit.awaitDurable();
        }
        return reply;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    /** The file's size and how much of it holds live data, as MVStore accounts for it. */
    StoreFootprint footprint() {
        FileStore<?> file = store.getFileStore();
        return new StoreFootprint(file.size(), file.getFillRate(), file.getChunksFillRate());
    }
}
