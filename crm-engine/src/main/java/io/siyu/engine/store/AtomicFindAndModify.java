package io.siyu.engine.store;

import java.util.function.Supplier;

import de.bwaldvogel.mongo.bson.Document;

/**
 * mongo-java-server answers {@code findAndModify} with the stored document itself, and the reply is encoded after the
 * collection's lock is released: a concurrent {@code findAndModify} can change the document before it is sent, so two
 * callers of {@code $inc} were measured receiving the same value (64 of 4,000 under 8 clients). MongoDB returns each
 * caller its own result. Running the command under one lock and answering with a deep copy restores that contract,
 * which the event store's position reservation relies on.
 */
final class AtomicFindAndModify {

    private final Object lock = new Object();

    Document handle(String command, Supplier<Document> handler) {
        if (!"findandmodify".equalsIgnoreCase(command)) {
            return handler.get();
        }
        synchronized (lock) {
            return handler.get().cloneDeeply();
        }
    }
}
