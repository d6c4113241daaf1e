package io.siyu.engine.privacy;

import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;

import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.MemberUnionidAttached;
import io.siyu.api.wecom.WeComContactAdded;
import io.siyu.api.wecom.WeComContactRemoved;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.wecom.erasure.WeComErasure;

/**
 * Carries out an erasure once {@code MemberErased} is recorded: first reads, while the member's key still opens their
 * events, which openids, unionids and external user ids they had; has the WeCom bridge and the identity claims drop
 * what they hold under those (claims stay as keyed hashes, marked erased); drops the Mini Program session; then
 * destroys the data key, which makes every personal field of the member's events, snapshots and dead letters
 * unreadable. Read models drop their copies on {@code MemberErased} themselves. Every step can run again, and the
 * key goes last, so an erasure cut short by a crash is finished by the next run ({@link ErasureProcess}).
 */
@Component
public class Erasure {

    static final String COLLECTION = "member_erasures";

    private final EventStore events;
    private final MemberDataKeys keys;
    private final MemberIdentities identities;
    private final WeComErasure weCom;
    private final MongoCollection<Document> erasures;
    private final MongoCollection<Document> sessions;
    private final Clock clock;

    Erasure(EventStore events, MemberDataKeys keys, MemberIdentities identities, WeComErasure weCom,
            MongoDatabase syncMongoDatabase, Clock clock) {
        this.events = events;
        this.keys = keys;
        this.identities = identities;
        this.weCom = weCom;
        this.erasures = syncMongoDatabase.getCollection(COLLECTION);
        this.sessions = syncMongoDatabase.getCollection("miniapp_sessions");
        this.clock = clock;
    }

    /** What an erasure did: counts only, never the values. */
    public record Completed(String memberId, boolean keyDestroyed, int externalUsers, long callbacksDropped,
                            long outboxDropped, java.time.Instant completedAt) {
    }

    /** @return what was done, now or by an earlier run */
    public Completed complete(String memberId) {
        Document done = erasures.find(Filters.eq("_id", memberId)).first();
        if (done != null && done.get("completedAt") != null) {
            return completed(done);
        }
        Set<String> openids = new LinkedHashSet<>();
        Set<String> unionids = new LinkedHashSet<>();
        Set<String> externalUserIds = new LinkedHashSet<>();
        // the whole stream from its first event: a snapshot would hide the registration and older contacts
        events.readEvents(memberId, 0).asStream().map(DomainEventMessage::getPayload).forEach(payload -> {
            if (payload instanceof MemberRegistered registered) {
                add(openids, registered.openid());
                add(unionids, registered.unionid());
            } else if (payload instanceof MemberUnionidAttached attached) {
                add(unionids, attached.unionid());
            } else if (payload instanceof WeComContactAdded added) {
                add(externalUserIds, added.externalUserId());
            } else if (payload instanceof WeComContactRemoved removed) {
                add(externalUserIds, removed.externalUserId());
            }
        });
        WeComErasure.Forgotten forgotten = weCom.forget(memberId, externalUserIds, unionids);
        identities.forget(memberId, openids, unionids);
        sessions.deleteOne(Filters.eq("_id", memberId));
        keys.destroy(memberId);
        // destroyed now or by a run beside this one: either way a tombstone holds its place
        // runs beside each other (a repeated request, the processor) keep the first completion and the largest
        // counts: a run that came after the key was gone found nothing left to count
        Document record = new Document("$set", new Document("keyDestroyed", keys.erased(memberId)))
                .append("$max", new Document("externalUsers", externalUserIds.size())
                        .append("callbacksDropped", forgotten.callbacks())
                        .append("outboxDropped", forgotten.outbox()))
                .append("$min", new Document("completedAt", Date.from(clock.instant())));
        try {
            erasures.updateOne(Filters.eq("_id", memberId), record, new UpdateOptions().upsert(true));
        } catch (com.mongodb.MongoWriteException raced) {
            // another run of the same erasure inserted the record first: this one updates it
            erasures.updateOne(Filters.eq("_id", memberId), record);
        }
        return completed(erasures.find(Filters.eq("_id", memberId)).first());
    }

    /** @return whether the member's erasure has been carried out */
    public boolean completed(String memberId) {
        Document done = erasures.find(Filters.eq("_id", memberId)).first();
        return done != null && done.get("completedAt") != null;
    }

    private static Completed completed(Document record) {
        return new Completed(record.getString("_id"), record.getBoolean("keyDestroyed", false),
                record.getInteger("externalUsers", 0), ((Number) record.get("callbacksDropped", 0L)).longValue(),
                ((Number) record.get("outboxDropped", 0L)).longValue(), record.getDate("completedAt").toInstant());
    }

    private static void add(Set<String> values, String value) {
        if (value != null) {
            values.add(value);
        }
    }
}
