package io.siyu.engine.member.identity;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.system.IdSource;
import reactor.core.publisher.Mono;

/**
 * Which member an openid belongs to. The first registration of an openid claims a member id by inserting a document
 * keyed by the openid (a unique {@code _id}); a concurrent or repeated registration loses the insert and reads the
 * winner's id. So one openid never gets two members, on one node or many.
 */
@Component
public class MemberIdentities {

    static final String COLLECTION = "member_openids";

    private final MongoCollection<Document> claims;
    private final IdSource ids;

    MemberIdentities(MongoDatabase reactiveMongoDatabase, IdSource ids) {
        this.claims = reactiveMongoDatabase.getCollection(COLLECTION);
        this.ids = ids;
    }

    /** The member id of this openid, claiming a new one when the openid has none yet. */
    public Mono<String> claim(String openid) {
        String candidate = ids.nextId();
        return Mono.from(claims.insertOne(new Document("_id", openid).append("memberId", candidate)))
                .thenReturn(candidate)
                .onErrorResume(MemberIdentities::isDuplicateKey, duplicate -> find(openid)
                        .switchIfEmpty(Mono.error(new IllegalStateException("openid claim vanished"))));
    }

    /** The member id of this openid, if it has one. */
    public Mono<String> find(String openid) {
        return Mono.from(claims.find(Filters.eq("_id", openid)).first())
                .map(claim -> claim.getString("memberId"));
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
