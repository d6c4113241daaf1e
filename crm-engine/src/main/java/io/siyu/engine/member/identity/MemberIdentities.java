package io.siyu.engine.member.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.privacy.LookupHashes;
import io.siyu.engine.system.IdSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which member an openid belongs to. The first registration of an openid claims a member id by inserting a document
 * keyed by the openid (a unique {@code _id}); a concurrent or repeated registration loses the insert and reads the
 * winner's id. So one openid never gets two members, on one node or many. A unionid is claimed the same way, first
 * claim holding; a second member's claim is refused and recorded as a conflict for an operator.
 */
@Component
public class MemberIdentities {

    static final String COLLECTION = "member_openids";
    static final String UNIONIDS = "member_unionid_claims";
    static final String CONFLICTS = "identity_conflicts";

    private final MongoCollection<Document> claims;
    private final MongoCollection<Document> unionids;
    private final MongoCollection<Document> conflicts;
    private final MongoCollection<Document> directory;
    private final IdSource ids;
    private final Clock clock;
    private final LookupHashes hashes;

    MemberIdentities(MongoDatabase reactiveMongoDatabase, IdSource ids, Clock clock, LookupHashes hashes) {
        this.hashes = hashes;
        this.claims = reactiveMongoDatabase.getCollection(COLLECTION);
        this.unionids = reactiveMongoDatabase.getCollection(UNIONIDS);
        this.conflicts = reactiveMongoDatabase.getCollection(CONFLICTS);
        this.directory = reactiveMongoDatabase.getCollection("member_unionids");
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Claims a unionid for a member: the first claim holds ({@code member_unionid_claims}, keyed by the unionid).
     * Unionids registered before claims were kept are taken from the WeCom directory on a miss, so an earlier member
     * keeps theirs.
     *
     * @return the member id, or an error {@link UnionidClaimedException} (the conflict recorded) when another member
     *         holds it
     */
    public Mono<String> claimUnionid(String unionid, String memberId, String openid, String source) {
        String key = hashes.unionid(unionid);
        return Mono.from(directory.find(Filters.eq("_id", key)).first())
                .map(earlier -> earlier.getString("memberId"))
                .defaultIfEmpty(memberId)
                .flatMap(first -> Mono.from(unionids.insertOne(new Document("_id", key).append("memberId", first)))
                        .thenReturn(first)
                        .onErrorResume(MemberIdentities::isDuplicateKey, duplicate -> Mono.from(unionids
                                .find(Filters.eq("_id", key)).first()).map(claim -> claim.getString("memberId"))))
                .flatMap(holder -> holder.equals(memberId) ? Mono.just(memberId)
                        : recordConflict(unionid, holder, memberId, openid, source)
                        .then(Mono.error(new UnionidClaimedException(holder))));
    }

    /** Gives a unionid claim up (the member turned out to have another): only this member's. */
    public Mono<Void> releaseUnionid(String unionid, String memberId) {
        return Mono.from(unionids.deleteOne(Filters.and(Filters.eq("_id", hashes.unionid(unionid)),
                        Filters.eq("memberId", memberId))))
                .then();
    }

    /** Two members claiming one unionid, recorded once per pair for an operator to merge or split. */
    private Mono<Void> recordConflict(String unionid, String holder, String refused, String openid, String source) {
        return Mono.from(conflicts.updateOne(Filters.eq("_id", holder + "|" + refused), Updates.combine(
                        Updates.set("heldBy", holder), Updates.set("refused", refused),
                        Updates.set("unionidMasked", mask(unionid)), Updates.set("openidMasked", mask(openid)),
                        Updates.set("source", source),
                        Updates.set("lastAt", Date.from(clock.instant())),
                        Updates.setOnInsert("firstAt", Date.from(clock.instant())), Updates.inc("attempts", 1)),
                new UpdateOptions().upsert(true))).then();
    }

    /**
     * A recorded conflict: the member holding the unionid; the member id of the openid refused it (a member once that
     * openid registers without the unionid, as a Mini Program sign-in does); both ids masked; where and when.
     */
    public record Conflict(String heldBy, String refused, String openidMasked, String unionidMasked, String source,
                           Instant firstAt, Instant lastAt, int attempts) {
    }

    /** @return the recorded conflicts, newest first (a scan: there are few) */
    public Flux<Conflict> conflicts(int limit) {
        return Flux.from(conflicts.find().sort(Sorts.descending("lastAt")).limit(limit))
                .map(conflict -> new Conflict(conflict.getString("heldBy"), conflict.getString("refused"),
                        conflict.getString("openidMasked"), conflict.getString("unionidMasked"), conflict.getString("source"),
                        conflict.getDate("firstAt").toInstant(), conflict.getDate("lastAt").toInstant(),
                        conflict.getInteger("attempts", 1)));
    }

    /** A unionid as operators see it: its first four and last two characters. */
    static String mask(String unionid) {
        return unionid.length() <= 6 ? "***" : unionid.substring(0, 4) + "***" + unionid.substring(unionid.length() - 2);
    }

    /**
     * The member id of this openid, claiming a new one when the openid has none yet, or when its member was erased:
     * the person comes back as a new member, and the claim remembers ({@code erasedBefore}) that the openid was once
     * a member's.
     */
    public Mono<String> claim(String openid) {
        String key = hashes.openid(openid);
        String candidate = ids.nextId();
        return Mono.from(claims.insertOne(new Document("_id", key).append("memberId", candidate)))
                .thenReturn(candidate)
                .onErrorResume(MemberIdentities::isDuplicateKey, duplicate -> Mono.from(claims.findOneAndUpdate(
                                Filters.and(Filters.eq("_id", key), Filters.eq("erased", true)),
                                Updates.combine(Updates.set("memberId", candidate), Updates.unset("erased"),
                                        Updates.set("erasedBefore", true))))
                        .map(erased -> candidate)
                        .switchIfEmpty(find(openid))
                        .switchIfEmpty(Mono.error(new IllegalStateException("openid claim vanished"))));
    }

    /** The member id of this openid, if it has one (an erased member's openid has none). */
    public Mono<String> find(String openid) {
        return Mono.from(claims.find(Filters.eq("_id", hashes.openid(openid))).first())
                .filter(claim -> !claim.getBoolean("erased", false))
                .map(claim -> claim.getString("memberId"));
    }

    /**
     * An erased member's identities: the openid's claim stays as its keyed hash, marked erased (a sign-in with it
     * makes a new member); unionid claims go (the unionid may be claimed anew) and so do conflicts naming the member.
     */
    public void forget(String memberId, java.util.Collection<String> openids, java.util.Collection<String> unionidsHeld) {
        for (String openid : openids) {
            Mono.from(claims.updateOne(Filters.and(Filters.eq("_id", hashes.openid(openid)),
                    Filters.eq("memberId", memberId)), Updates.set("erased", true))).block();
        }
        for (String unionid : unionidsHeld) {
            releaseUnionid(unionid, memberId).block();
        }
        Mono.from(conflicts.deleteMany(Filters.or(Filters.eq("heldBy", memberId), Filters.eq("refused", memberId))))
                .block();
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
