package io.siyu.engine.store;

import java.util.List;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * A collection's {@code _id} index that also finds the document of a query naming an {@code _id} (a value or
 * {@code $in}) together with other conditions (side by side or in an {@code $and}), as MongoDB's own {@code _id}
 * index does: mongo-java-server answers
 * from an index only a query on exactly the index's keys and scans the whole collection for anything more, so a
 * conditional write such as "set reserved where {@code _id} is X and status is held" read every document of its
 * collection (a reward's 100,000 claims made its projection fall minutes behind). The other conditions are still
 * applied, to the one document found.
 */
final class IdLookupIndex<P> extends Index<P> {

    private static final String ID = "_id";

    private final Index<P> ids;

    private IdLookupIndex(Index<P> ids) {
        super(ids.getName(), ids.getKeys(), false);
        this.ids = ids;
    }

    /** Wraps the {@code _id} index of a collection; any other index is returned as it is. */
    static <P> Index<P> wrap(Index<P> index) {
        List<IndexKey> keys = index.getKeys();
        boolean isIdIndex = keys.size() == 1 && keys.get(0).getKey().equals(ID) && index.isUnique();
        return isIdIndex ? new IdLookupIndex<>(index) : index;
    }

    /**
     * The query's condition on {@code _id} alone: a top-level {@code _id}, or one inside a top-level {@code $and}
     * (the Java driver sends {@code Filters.and(…)} as {@code $and}); {@code null} when it names none.
     */
    private static Document idOnly(Document query) {
        if (query.containsKey(ID)) {
            return new Document(ID, query.get(ID));
        }
        if (query.get("$and") instanceof List<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document document && document.containsKey(ID)) {
                    return new Document(ID, document.get(ID));
                }
            }
        }
        return null;
    }

    @Override
    public boolean canHandle(Document query) {
        if (ids.canHandle(query)) {
            return true;
        }
        Document id = idOnly(query);
        return id != null && ids.canHandle(id);
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        return ids.getPositions(ids.canHandle(query) ? query : idOnly(query));
    }

    @Override
    public P getPosition(Document document) {
        return ids.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        ids.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        ids.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return ids.remove(document);
    }

    @Override
    public long getCount() {
        return ids.getCount();
    }

    @Override
    public boolean isEmpty() {
        return ids.isEmpty();
    }

    @Override
    public long getDataSize() {
        return ids.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        ids.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
            throws KeyConstraintError {
        ids.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        ids.drop();
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    /** The in-memory store's databases, with {@link IdLookupIndex}. */
    static final class InMemory extends MemoryDatabase {

        InMemory(String name, CursorRegistry cursors) {
            super(name, cursors);
        }

        @Override
        protected Index<Integer> openOrCreateUniqueIndex(String collection, String name, List<IndexKey> keys,
                                                         boolean sparse) {
            return wrap(super.openOrCreateUniqueIndex(collection, name, keys, sparse));
        }
    }

    /** The H2 store's databases, with {@link IdLookupIndex}. */
    static final class OnH2 extends H2Database {

        OnH2(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String name, List<IndexKey> keys,
                                                        boolean sparse) {
            return wrap(super.openOrCreateUniqueIndex(collection, name, keys, sparse));
        }
    }
}
