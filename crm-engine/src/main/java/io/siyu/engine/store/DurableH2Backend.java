package io.siyu.engine.store;

import java.util.Locale;
import java.util.Set;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's H2 backend commits its MVStore only in the background, once a second, so a crash loses writes
 * it has already acknowledged. This backend commits (group-committed across concurrent connections) before a write
 * command is answered.
 */
final class DurableH2Backend extends H2Backend {

    private static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "create", "drop", "dropindexes",
            "dropdatabase", "renamecollection");

    private final GroupCommit groupCommit;

    DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.groupCommit = new GroupCommit(() -> {
            store.commit();
            if (fsync) {
                store.sync();
            }
        });
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = super.handleCommand(channel, database, command, query);
        if (WRITE_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
            groupCommit.awaitDurable();
        }
        return reply;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }
}
