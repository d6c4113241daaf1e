package io.siyu.wecom.identity;

import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.MemberUnionidAttached;
import io.siyu.wecom.store.FirstWrite;
import reactor.core.publisher.Mono;

/**
 * Which member a WeChat unionid belongs to ({@code member_unionids}, one document per unionid, read by {@code _id}),
 * from the members' registrations and unionids attached later: how a WeCom external contact is linked to a Mini
 * Program member; the first member to have a unionid keeps it. Each registration or attachment of a unionid is
 * announced ({@link UnionidRegistered}), so callbacks about that person that arrived before the
 * member existed are linked now.
 */
@Component
@ProcessingGroup(UnionidDirectory.PROCESSING_GROUP)
public class UnionidDirectory {

    public static final String PROCESSING_GROUP = "wecom-unionids";
    static final String COLLECTION = "member_unionids";

    private final MongoCollection<Document> unionids;
    private final ApplicationEventPublisher announcements;
    private final Pseudonyms pseudonyms;

    UnionidDirectory(MongoDatabase reactiveMongoDatabase, ApplicationEventPublisher announcements,
                     Pseudonyms pseudonyms) {
        this.unionids = reactiveMongoDatabase.getCollection(COLLECTION);
        this.announcements = announcements;
        this.pseudonyms = pseudonyms;
    }

    /** @return the key a unionid is kept under here and in {@code wecom_unlinked}: its keyed hash */
    public String keyOf(String unionid) {
        return pseudonyms.unionid(unionid);
    }

    @EventHandler
    void on(MemberRegistered event) {
        if (event.unionid() != null) {
            known(event.unionid(), event.memberId());
        }
    }

    /** A unionid that became known after registration: that person's earlier WeCom history is linked now. */
    @EventHandler
    void on(MemberUnionidAttached event) {
        known(event.unionid(), event.memberId());
    }

    /** The first member to have a unionid keeps it (the engine refuses a second claim; older data may hold one). */
    private void known(String unionid, String memberId) {
        FirstWrite.insert(unionids, new Document("_id", keyOf(unionid)).append("memberId", memberId)).block();
        announcements.publishEvent(new UnionidRegistered(unionid));
    }

    @ResetHandler
    void reset() {
        Mono.from(unionids.deleteMany(new Document())).block();
    }

    public Optional<String> memberOf(String unionid) {
        return Mono.from(unionids.find(Filters.eq("_id", keyOf(unionid))).first())
                .map(found -> found.getString("memberId")).blockOptional();
    }
}
