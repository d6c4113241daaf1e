package io.siyu.engine.eventstore;

import java.lang.reflect.Field;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

/**
 * Axon's aggregate cache (weak references: the collector takes entries back under memory pressure), checked against
 * the event store each time an entry is read: an aggregate held here is used only when no event has been stored after
 * the version it holds — one point read by stream key, where loading it means its snapshot and the events after it.
 * Another engine on the same store may have written since; then the entry is dropped and the aggregate loaded. A
 * command that writes is still guarded by the store's sequence check (a conflict rolls back and evicts); this check
 * keeps a command that only answers (a refusal, a retry's earlier answer) from answering from an old state.
 */
public final class FreshAggregateCache implements Cache {

    private static final Field VERSION = versionField();

    private final Cache entries = new WeakReferenceCache();
    private final MongoEventStorageEngine store;

    public FreshAggregateCache(MongoEventStorageEngine store) {
        this.store = store;
    }

    private static Field versionField() {
        try {
            Field field = AggregateCacheEntry.class.getDeclaredField("version");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null; // every read is then a miss: the aggregate is loaded, as without a cache
        }
    }

    @Override
    public <K, V> V get(K key) {
        V value = entries.get(key);
        if (value instanceof AggregateCacheEntry<?> entry && !fresh(String.valueOf(key), entry)) {
            entries.remove(key);
            return null;
        }
        return value;
    }

    private boolean fresh(String aggregateIdentifier, AggregateCacheEntry<?> entry) {
        if (VERSION == null) {
            return false;
        }
        try {
            Long version = (Long) VERSION.get(entry);
            return version != null && !store.hasEventAt(aggregateIdentifier, version + 1);
        } catch (IllegalAccessException | ClassCastException unreadable) {
            return false;
        }
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key);
    }

    @Override
    public void removeAll() {
        entries.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return entries.registerCacheEntryListener(cacheEntryListener);
    }
}
