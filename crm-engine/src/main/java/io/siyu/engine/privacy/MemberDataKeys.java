package io.siyu.engine.privacy;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;
import org.bson.types.Binary;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * One data key per member (AES-256), made when the member's first personal field is written and kept in
 * {@code member_keys} wrapped by a master key ({@link MasterKeys}), never in the clear. Erasure destroys it: the
 * document becomes a tombstone ({@code erasedAt}), so every value sealed with it stays unreadable for good and no new
 * key is made for the member. Unwrapped keys are cached for a short time (the setting {@code
 * siyu.privacy.key-cache-ttl}); that is how long another node may still open the values of a member erased elsewhere.
 */
public class MemberDataKeys {

    static final String COLLECTION = "member_keys";
    static final String IN_USE = "master_keys_in_use";
    /** The id of the master key generated into the embedded store's data directory. */
    public static final String EMBEDDED_KEY_ID = "local-1";

    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> inUse;
    private final MasterKeys masters;
    private final Clock clock;
    private final Cache<String, Optional<SecretKey>> cache;

    public MemberDataKeys(MongoDatabase database, MasterKeys masters, Clock clock, Duration cacheTtl, long cacheSize) {
        this.keys = database.getCollection(COLLECTION);
        this.inUse = database.getCollection(IN_USE);
        this.masters = masters;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
        checkMastersConfigured();
    }

    /**
     * The master keys that wrap data keys are listed in {@code master_keys_in_use}: the current one is added at start,
     * and a finished rotation leaves only its own. A start without one of them configured is refused, naming it, rather
     * than serving and failing on every read of a member it wrapped.
     */
    private void checkMastersConfigured() {
        inUse.updateOne(Filters.eq("_id", masters.currentId()), Updates.set("since", Date.from(clock.instant())),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        for (Document used : inUse.find()) {
            String id = used.getString("_id");
            if (masters.byId(id).isEmpty()) {
                throw new IllegalStateException("Members' data keys are wrapped by master key '" + id + "', which is "
                        + "not configured: give it in siyu.privacy.previous-master-keys (id:base64) until a key "
                        + "rotation has re-wrapped them (the key the embedded store generates into master.key has "
                        + "the id " + EMBEDDED_KEY_ID + ")");
            }
        }
    }

    /**
     * After a rotation read every data key: when none is wrapped by another master key any more, only the current one
     * stays listed as in use, and the others may be dropped from the configuration.
     *
     * @return whether only the current master key is in use now
     */
    public boolean retireOtherMasters() {
        Document other = keys.find(Filters.and(Filters.ne("master", masters.currentId()), Filters.exists("key")))
                .first();
        if (other != null) {
            return false;
        }
        inUse.deleteMany(Filters.ne("_id", masters.currentId()));
        return true;
    }

    /** @return the member's data key, made now if the member has none; empty once the member is erased */
    public Optional<SecretKey> forWriting(String memberId) {
        Optional<SecretKey> cached = cache.getIfPresent(memberId);
        if (cached != null) {
            return cached;
        }
        Document found = keys.find(Filters.eq("_id", memberId)).first();
        if (found == null) {
            found = create(memberId);
        }
        return remember(memberId, found);
    }

    /** @return the member's data key; empty when the member is erased or never had one */
    public Optional<SecretKey> forReading(String memberId) {
        Optional<SecretKey> cached = cache.getIfPresent(memberId);
        if (cached != null) {
            return cached;
        }
        Document found = keys.find(Filters.eq("_id", memberId)).first();
        return found == null ? Optional.empty() : remember(memberId, found);
    }

    /**
     * Destroys the member's data key (whether or not one was ever made) and leaves a tombstone in its place.
     *
     * @return true when a key was destroyed now, false when the member was erased before or had no key
     */
    public boolean destroy(String memberId) {
        Document before;
        try {
            before = tombstone(memberId);
        } catch (MongoCommandException | MongoWriteException raced) {
            // two erasures upserting the same new tombstone: one inserted it, the other replaces it now
            before = tombstone(memberId);
        }
        cache.put(memberId, Optional.empty());
        return before != null && before.get("key") != null;
    }

    private Document tombstone(String memberId) {
        return keys.findOneAndReplace(Filters.eq("_id", memberId),
                new Document("_id", memberId).append("erasedAt", Date.from(clock.instant())),
                new com.mongodb.client.model.FindOneAndReplaceOptions().upsert(true));
    }

    /** @return true when the member's key was destroyed */
    public boolean erased(String memberId) {
        Document found = keys.find(Filters.eq("_id", memberId)).first();
        return found != null && found.get("erasedAt") != null;
    }

    /** One page of a rotation: how far it got and what it did. */
    public record RewrapPage(String lastMemberId, int read, int rewrapped) {
    }

    /**
     * Re-wraps, under the current master key, the data keys after {@code afterMemberId} (in member id order) that an
     * earlier master key wraps. The data keys themselves do not change, so no event is touched.
     */
    public RewrapPage rewrap(String afterMemberId, int pageSize) {
        String last = afterMemberId;
        int read = 0;
        int rewrapped = 0;
        for (Document doc : keys.find(afterMemberId == null ? new Document() : Filters.gt("_id", afterMemberId))
                .sort(Sorts.ascending("_id")).limit(pageSize)) {
            read++;
            last = doc.getString("_id");
            String master = doc.getString("master");
            if (doc.get("key") == null || masters.currentId().equals(master)) {
                continue;
            }
            SecretKey dataKey = unwrap(last, doc);
            long changed = keys.updateOne(Filters.and(Filters.eq("_id", last), Filters.eq("master", master)),
                    Updates.combine(Updates.set("key", new Binary(wrap(last, dataKey))),
                            Updates.set("master", masters.currentId()))).getModifiedCount();
            rewrapped += (int) changed;
        }
        return new RewrapPage(last, read, rewrapped);
    }

    private Document create(String memberId) {
        SecretKey dataKey = newKey();
        Document doc = new Document("_id", memberId).append("key", new Binary(wrap(memberId, dataKey)))
                .append("master", masters.currentId()).append("createdAt", Date.from(clock.instant()));
        try {
            keys.insertOne(doc);
            return doc;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // made concurrently (or the member was erased meanwhile): the stored one holds
            return keys.find(Filters.eq("_id", memberId)).first();
        }
    }

    private Optional<SecretKey> remember(String memberId, Document doc) {
        Optional<SecretKey> key = doc.get("key") == null ? Optional.empty() : Optional.of(unwrap(memberId, doc));
        cache.put(memberId, key);
        return key;
    }

    private byte[] wrap(String memberId, SecretKey dataKey) {
        return FieldCipher.seal(masters.current(), dataKey.getEncoded(), context(memberId));
    }

    private SecretKey unwrap(String memberId, Document doc) {
        String master = doc.getString("master");
        SecretKey masterKey = masters.byId(master).orElseThrow(() -> new IllegalStateException(
                "The data key of a member is wrapped by master key '" + master + "', which is not configured "
                        + "(siyu.privacy.previous-master-keys keeps earlier keys until a rotation re-wraps them)"));
        byte[] raw = FieldCipher.open(masterKey, doc.get("key", Binary.class).getData(), context(memberId));
        return new SecretKeySpec(raw, "AES");
    }

    private static String context(String memberId) {
        return "member-key|" + memberId;
    }

    private static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

}
