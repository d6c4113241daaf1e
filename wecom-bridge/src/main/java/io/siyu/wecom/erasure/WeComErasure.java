package io.siyu.wecom.erasure;

import java.util.Collection;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.callback.CallbackLog;
import io.siyu.wecom.campaign.CampaignErasure;
import io.siyu.wecom.callback.CallbackWork;
import io.siyu.wecom.callback.Relationships;
import io.siyu.wecom.identity.UnionidDirectory;
import io.siyu.wecom.outbox.Outbox;
import reactor.core.publisher.Mono;

/**
 * What the bridge forgets of an erased member, given the external user ids and unionids their events named (read
 * before the member's key is destroyed): the links from external user to member, the relationships, the group
 * member lists, the logged callbacks and pending translations naming them, the outbox's welcomes and tag changes
 * (the erasure's own untagging excepted: it goes once sent), campaign claims, tasks not yet settled and receipts
 * ({@link CampaignErasure}, counted with the outbox), the unionid directory and the unlinked notes. Each
 * step can run again.
 */
@Component
public class WeComErasure {

    private final MongoCollection<Document> links;
    private final MongoCollection<Document> chats;
    private final MongoCollection<Document> unlinked;
    private final MongoCollection<Document> directory;
    private final CallbackLog callbacks;
    private final CallbackWork work;
    private final Relationships relationships;
    private final Outbox outbox;
    private final UnionidDirectory unionids;
    private final CampaignErasure campaigns;

    WeComErasure(MongoDatabase reactiveMongoDatabase, CallbackLog callbacks, CallbackWork work,
                 Relationships relationships, Outbox outbox, UnionidDirectory unionids, CampaignErasure campaigns) {
        this.campaigns = campaigns;
        this.links = reactiveMongoDatabase.getCollection("wecom_links");
        this.chats = reactiveMongoDatabase.getCollection("wecom_chats");
        this.unlinked = reactiveMongoDatabase.getCollection("wecom_unlinked");
        this.directory = reactiveMongoDatabase.getCollection("member_unionids");
        this.callbacks = callbacks;
        this.work = work;
        this.relationships = relationships;
        this.outbox = outbox;
        this.unionids = unionids;
    }

    /** How much was dropped, for the erasure's record (counts only). */
    public record Forgotten(long callbacks, long work, long relationships, long outbox, long links) {
    }

    public Forgotten forget(String memberId, Collection<String> externalUserIds, Collection<String> unionidsHeld) {
        long work = this.work.forget(externalUserIds);
        long logged = callbacks.forget(externalUserIds);
        long held = relationships.forget(externalUserIds);
        long queued = outbox.forget(memberId, externalUserIds) + campaigns.forget(memberId, externalUserIds);
        long linked = 0;
        if (!externalUserIds.isEmpty()) {
            linked = Mono.from(links.deleteMany(Filters.in("_id", externalUserIds))).map(r -> r.getDeletedCount())
                    .defaultIfEmpty(0L).block();
            List<String> ids = List.copyOf(externalUserIds);
            Mono.from(chats.updateMany(Filters.or(Filters.in("members", ids), Filters.in("joinedFound", ids),
                    Filters.in("leftFound", ids)), Updates.combine(Updates.pullAll("members", ids),
                    Updates.pullAll("joinedFound", ids), Updates.pullAll("leftFound", ids)))).block();
        }
        for (String unionid : unionidsHeld) {
            String key = unionids.keyOf(unionid);
            Mono.from(directory.deleteOne(Filters.and(Filters.eq("_id", key), Filters.eq("memberId", memberId))))
                    .block();
            Mono.from(unlinked.deleteOne(Filters.eq("_id", key))).block();
        }
        return new Forgotten(logged, work, held, queued, linked);
    }
}
