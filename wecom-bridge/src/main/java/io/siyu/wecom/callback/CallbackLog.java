package io.siyu.wecom.callback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Date;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.store.FirstWrite;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every verified callback, first of all, as WeCom sent it (decrypted), keyed by its dedupe key
 * ({@code wecom_callbacks}, one document per callback, written before WeCom is answered). A retry finds its key taken
 * and adds nothing. The log is what translation reads and what a replay after a fix reads again.
 */
@Component
public class CallbackLog {

    public static final String COLLECTION = "wecom_callbacks";

    private final MongoCollection<Document> callbacks;

    CallbackLog(MongoDatabase reactiveMongoDatabase) {
        this.callbacks = reactiveMongoDatabase.getCollection(COLLECTION);
    }

    private static List<String> people(CallbackMessage message) {
        java.util.Set<String> people = new java.util.LinkedHashSet<>();
        String external = message.field("ExternalUserID");
        if (external != null && !external.isBlank()) {
            people.add(external);
        }
        people.addAll(message.memberChanges());
        return new java.util.ArrayList<>(people);
    }

    /**
     * Drops the logged callbacks that name any of these external users (an erasure): their dedupe keys and bodies
     * carry the ids.
     *
     * @return how many were dropped
     */
    public long forget(java.util.Collection<String> externalUserIds) {
        if (externalUserIds.isEmpty()) {
            return 0;
        }
        return Mono.from(callbacks.deleteMany(Filters.in("people", externalUserIds))).map(r -> r.getDeletedCount())
                .defaultIfEmpty(0L).block();
    }

    /** Marks a callback translated (or why not: {@code unlinked}, {@code ignored}). */
    public void settle(String dedupeKey, String outcome) {
        Mono.from(callbacks.updateOne(Filters.eq("_id", dedupeKey), Updates.combine(
                Updates.set("translated", true), Updates.set("outcome", outcome)))).block();
    }

    /** @return whether the logged callback with this key has been translated (false when it is not logged) */
    public Mono<Boolean> translated(String dedupeKey) {
        return Mono.from(callbacks.find(Filters.eq("_id", dedupeKey)).first())
                .map(entry -> entry.getBoolean("translated", false)).defaultIfEmpty(false);
    }

    /**
     * Counts one more reading of WeCom's state for a callback whose translation is a re-read (a contact edit, a
     * group's name or owner): each reading is a distinct fact, so two edits WeCom reported in the same second (one
     * callback to us) are both recorded.
     *
     * @return the key of this reading's fact: the dedupe key for the first, then {@code <key>|read<n>}
     */
    public String nextReadKey(String dedupeKey) {
        Document entry = Mono.from(callbacks.findOneAndUpdate(Filters.eq("_id", dedupeKey), Updates.inc("reads", 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).block();
        int reads = entry == null ? 1 : entry.getInteger("reads", 1);
        return reads <= 1 ? dedupeKey : dedupeKey + "|read" + reads;
    }

    /** @return the callbacks not translated yet, oldest first (a scan of the log: once, when work became durable) */
    public List<CallbackMessage> untranslated() {
        return read(Filters.eq("translated", false));
    }

    /** @return when the callback with this key was received here (the welcome code's 20 s count from it) */
    public Optional<Instant> receivedAt(String dedupeKey) {
        return Mono.from(callbacks.find(Filters.eq("_id", dedupeKey)).first())
                .map(entry -> entry.getDate("receivedAt").toInstant()).blockOptional();
    }

    /** @return the logged callback with this dedupe key */
    public Optional<CallbackMessage> find(String dedupeKey) {
        return Mono.from(callbacks.find(Filters.eq("_id", dedupeKey)).first()).blockOptional().flatMap(entry -> {
            try {
                return Optional.of(CallbackMessage.parse(entry.getString("xml")));
            } catch (CallbackRefused unreadable) {
                return Optional.empty(); // logged entries were parsed before they were logged
            }
        });
    }

    /** @return every logged callback, oldest first (a replay after a fix: a scan of the log) */
    public List<CallbackMessage> all() {
        return read(new Document());
    }

    private List<CallbackMessage> read(Bson filter) {
        List<CallbackMessage> pending = new ArrayList<>();
        Flux.from(callbacks.find(filter).sort(Sorts.ascending("receivedAt")))
                .doOnNext(entry -> {
                    try {
                        pending.add(CallbackMessage.parse(entry.getString("xml")));
                    } catch (CallbackRefused unreadable) {
                        // logged entries were parsed before they were logged
                    }
                }).blockLast();
        return pending;
    }

    /** @return {@code true} when the callback is new, {@code false} when its dedupe key was logged before */
    public Mono<Boolean> append(CallbackMessage message, Instant receivedAt) {
        Document entry = new Document("_id", message.dedupeKey())
                .append("event", message.field("Event"))
                .append("changeType", message.field("ChangeType"))
                .append("createTime", message.field("CreateTime"))
                .append("xml", message.xml())
                // the external users it names, so an erasure finds what to drop
                .append("people", people(message))
                .append("receivedAt", Date.from(receivedAt))
                .append("translated", false);
        return FirstWrite.insert(callbacks, entry);
    }
}
