package io.siyu.wecom.callback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The contact relationships the bridge has recorded facts for ({@code wecom_relationships}, one document per staff
 * member and external user, read by {@code _id}): when WeCom says the current one began ({@code addedAt}, its
 * {@code createtime}) and, if it ended, when ({@code removedAt}). It gives a removal the key of the relationship it
 * ends, so a removal reported by a callback and one found by reconciliation are one fact, and it tells reconciliation
 * which relationships Siyu holds that WeCom no longer lists.
 */
@Component
public class Relationships {

    static final String COLLECTION = "wecom_relationships";

    private final MongoCollection<Document> relationships;

    Relationships(MongoDatabase reactiveMongoDatabase) {
        this.relationships = reactiveMongoDatabase.getCollection(COLLECTION);
    }

    /** One relationship as held: when it began (if known) and ended (if it did). */
    public record Held(String staffUserId, String externalUserId, String memberId, Instant addedAt, Instant removedAt,
                       boolean endFound) {

        /** @return whether it is current: begun and not ended since */
        public boolean active() {
            return addedAt != null && (removedAt == null || addedAt.isAfter(removedAt));
        }
    }

    /** Reconciliation reads a staff member's relationships by {@code staff} (an index on MongoDB; a scan embedded). */
    @EventListener(ApplicationReadyEvent.class)
    void index() {
        Mono.from(relationships.createIndex(Indexes.ascending("staff"))).onErrorResume(any -> Mono.empty()).block();
    }

    public Optional<Held> find(String staffUserId, String externalUserId) {
        return Mono.from(relationships.find(Filters.eq("_id", id(staffUserId, externalUserId))).first())
                .map(Relationships::held).blockOptional();
    }

    /** Records that the relationship that began at {@code addedAt} is known (a later begin replaces an earlier). */
    public void added(String staffUserId, String externalUserId, Instant addedAt, String memberId) {
        Optional<Held> held = find(staffUserId, externalUserId);
        if (held.isPresent() && held.get().addedAt() != null && !addedAt.isAfter(held.get().addedAt())) {
            return;
        }
        write(staffUserId, externalUserId, memberId, Updates.set("addedAt", Date.from(addedAt)),
                Updates.unset("endFound"));
    }

    /** Records that the relationship ended at {@code at} (a later end replaces an earlier). */
    public void removed(String staffUserId, String externalUserId, Instant at, String memberId) {
        Optional<Held> held = find(staffUserId, externalUserId);
        if (held.isPresent() && held.get().removedAt() != null && !at.isAfter(held.get().removedAt())) {
            return;
        }
        write(staffUserId, externalUserId, memberId, Updates.set("removedAt", Date.from(at)),
                Updates.unset("endFound"));
    }

    /**
     * Records that reconciliation found the relationship ended (dated when found, later than the end itself): a
     * removal callback that arrives later, dated between the add and this, ends the same relationship.
     */
    public void endFound(String staffUserId, String externalUserId, Instant foundAt, String memberId) {
        write(staffUserId, externalUserId, memberId, Updates.set("removedAt", Date.from(foundAt)),
                Updates.set("endFound", true));
    }

    /** Writes the relationship's document (made when it is first known) with {@code changes}. */
    private void write(String staffUserId, String externalUserId, String memberId, Bson... changes) {
        List<Bson> update = new ArrayList<>(List.of(Updates.set("staff", staffUserId),
                Updates.set("external", externalUserId), Updates.set("memberId", memberId)));
        update.addAll(List.of(changes));
        Mono.from(relationships.updateOne(Filters.eq("_id", id(staffUserId, externalUserId)),
                Updates.combine(update), new UpdateOptions().upsert(true))).block();
    }

    /** Drops the relationships of these external users (an erasure). */
    public long forget(java.util.Collection<String> externalUserIds) {
        return externalUserIds.isEmpty() ? 0 : Mono.from(relationships.deleteMany(
                Filters.in("external", externalUserIds))).map(r -> r.getDeletedCount()).defaultIfEmpty(0L).block();
    }

    /** @return the staff member's current relationships as held (reconciliation, once per staff member per run) */
    public List<Held> activeOf(String staffUserId) {
        List<Held> active = new ArrayList<>();
        Flux.from(relationships.find(Filters.eq("staff", staffUserId))).map(Relationships::held)
                .filter(Held::active).doOnNext(active::add).blockLast();
        return active;
    }

    private static Held held(Document document) {
        return new Held(document.getString("staff"), document.getString("external"), document.getString("memberId"),
                instant(document.getDate("addedAt")), instant(document.getDate("removedAt")),
                document.getBoolean("endFound", false));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static String id(String staffUserId, String externalUserId) {
        return staffUserId + "|" + externalUserId;
    }
}
