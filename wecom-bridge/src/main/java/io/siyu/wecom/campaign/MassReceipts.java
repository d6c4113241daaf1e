package io.siyu.wecom.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The enterprise mass messages each customer has received, or is about to ({@code wecom_mass_receipts}, one document
 * per external user id, read by id): one entry per message, keyed by what sent it (a Siyu task id, or the msgid of a
 * message made elsewhere — the admin console, a staff member, another app) with when it reached them. A Siyu task
 * counts from the moment it is planned, so a staff member who confirms tomorrow cannot push a customer over the cap;
 * its entry is dated by WeCom's send time once sent, and dropped if it was not. Entries older than
 * {@link #KEPT} are dropped on each write, so a document holds at most a month's messages.
 */
@Component
class MassReceipts {

    static final String COLLECTION = "wecom_mass_receipts";
    /** Longer than the longest window (a month). */
    static final Duration KEPT = Duration.ofDays(40);

    private final MongoCollection<Document> receipts;
    private final Clock clock;

    MassReceipts(MongoDatabase reactiveMongoDatabase, Clock clock) {
        this.receipts = reactiveMongoDatabase.getCollection(COLLECTION);
        this.clock = clock;
    }

    /** @return for each external user id asked, when the messages they have (or are about to have) reached them */
    Map<String, List<Instant>> of(Collection<String> externalUserIds) {
        Map<String, List<Instant>> found = new HashMap<>();
        if (externalUserIds.isEmpty()) {
            return found;
        }
        Flux.from(receipts.find(Filters.in("_id", List.copyOf(externalUserIds)))).toIterable().forEach(doc -> {
            List<Instant> at = new ArrayList<>();
            doc.getList("r", Document.class, List.of()).forEach(entry -> at.add(entry.getDate("at").toInstant()));
            found.put(doc.getString("_id"), at);
        });
        return found;
    }

    /** Counts a message for each customer (replacing an entry with the same key). */
    void record(Map<String, Instant> atByExternalUserId, String key) {
        if (atByExternalUserId.isEmpty()) {
            return;
        }
        Date oldest = Date.from(clock.instant().minus(KEPT));
        List<WriteModel<Document>> writes = new ArrayList<>();
        atByExternalUserId.forEach((external, at) -> {
            writes.add(new UpdateOneModel<>(Filters.eq("_id", external), Updates.pull("r",
                    Filters.or(Filters.eq("k", key), Filters.lt("at", oldest)))));
            writes.add(new UpdateOneModel<>(Filters.eq("_id", external),
                    Updates.push("r", new Document("k", key).append("at", Date.from(at))),
                    new UpdateOptions().upsert(true)));
        });
        write(writes);
    }

    /** The message with this key will not reach these customers: it no longer counts. */
    void release(Collection<String> externalUserIds, String key) {
        if (externalUserIds.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        Bson pull = Updates.pull("r", Filters.eq("k", key));
        externalUserIds.forEach(external -> writes.add(new UpdateOneModel<>(Filters.eq("_id", external), pull)));
        write(writes);
    }

    /** An erased member's customer: their receipts go. */
    void forget(Collection<String> externalUserIds) {
        if (!externalUserIds.isEmpty()) {
            Mono.from(receipts.deleteMany(Filters.in("_id", List.copyOf(externalUserIds)))).block();
        }
    }

    private void write(List<WriteModel<Document>> writes) {
        for (int from = 0; from < writes.size(); from += 1000) {
            Mono.from(receipts.bulkWrite(writes.subList(from, Math.min(writes.size(), from + 1000)))).block();
        }
    }

}
