package io.siyu.engine.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Dynamic member codes (会员码) for recognising a member at a till. The widget asks for a code and shows it as a QR
 * code or barcode; it is 18 digits (the shape of a WeChat Pay 付款码, so tills scan it as they scan those), random,
 * holds no personal data, is valid for {@code siyu.access.member-code-ttl} and serves one till transaction: the first
 * purchase or redemption that presents it binds it to that transaction's key, so a retry of the same order with the
 * same code still resolves (and stays idempotent) while any other use is refused. A transaction the engine refuses
 * (nothing written: not enough points, an unknown order) frees the code again. Codes are point reads by
 * {@code _id} ({@code member_codes}); each member's codes older than the previous one are deleted when the next is
 * issued unless a transaction used them, and a real MongoDB purges used codes a day after they expire.
 */
public final class MemberCodes {

    static final String COLLECTION = "member_codes";
    static final String HEADS = "member_code_heads";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> codes;
    private final MongoCollection<Document> heads;
    private final Clock clock;
    private final Duration ttl;

    public MemberCodes(MongoDatabase database, Clock clock, Duration ttl) {
        this.codes = database.getCollection(COLLECTION);
        this.heads = database.getCollection(HEADS);
        this.clock = clock;
        this.ttl = ttl;
        Mono.from(codes.createIndex(Indexes.ascending("purgeAt"), new IndexOptions().expireAfter(0L,
                TimeUnit.SECONDS))).onErrorComplete().block();
    }

    /** A code as the widget gets it. */
    public record Issued(String code, Instant expiresAt, long refreshInSeconds) {
    }

    public Mono<Issued> issue(String memberId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        String code = "66" + String.format("%016d", Math.floorMod(RANDOM.nextLong(), 10_000_000_000_000_000L));
        Document document = new Document("_id", code).append("memberId", memberId)
                .append("issuedAt", Date.from(now)).append("expiresAt", Date.from(expiresAt))
                .append("purgeAt", Date.from(expiresAt.plus(Duration.ofDays(1))));
        return Mono.from(codes.insertOne(document))
                .then(Mono.from(heads.find(Filters.eq("_id", memberId)).first())
                        .map(head -> head.getList("codes", String.class, List.of())).defaultIfEmpty(List.of()))
                .flatMap(previous -> {
                    List<String> keep = previous.isEmpty() ? List.of(code)
                            : List.of(previous.get(previous.size() - 1), code);
                    List<String> drop = previous.stream().filter(old -> !keep.contains(old)).toList();
                    return Mono.from(heads.replaceOne(Filters.eq("_id", memberId),
                                    new Document("_id", memberId).append("codes", keep),
                                    new ReplaceOptions().upsert(true)))
                            .then(drop.isEmpty() ? Mono.empty() : Mono.from(codes.deleteMany(Filters.and(
                                    Filters.in("_id", drop), Filters.eq("usedFor", null)))).then());
                })
                .thenReturn(new Issued(code, expiresAt, Math.max(1, ttl.toSeconds() / 2)));
    }

    /**
     * The member a code belongs to, binding the code to {@code useKey} (e.g. {@code purchase:O-1}) on first use.
     *
     * @return the member id; an {@link AccessRefused} (field {@code memberCode}) when the code is unknown, expired or
     *         used for another transaction
     */
    public Mono<String> redeem(String code, String useKey) {
        Instant now = clock.instant();
        return Mono.from(codes.find(Filters.eq("_id", code)).first())
                .switchIfEmpty(Mono.error(() -> refused("unknown-member-code", "is not a member code we issued")))
                .flatMap(found -> {
                    String usedFor = found.getString("usedFor");
                    if (useKey.equals(usedFor)) {
                        return Mono.just(found.getString("memberId"));
                    }
                    if (usedFor != null) {
                        return Mono.error(refused("member-code-used", "was used for another transaction"));
                    }
                    if (!now.isBefore(found.getDate("expiresAt").toInstant())) {
                        return Mono.error(refused("member-code-expired", "expired at "
                                + found.getDate("expiresAt").toInstant() + "; ask the member to show a new one"));
                    }
                    return Mono.from(codes.updateOne(Filters.and(Filters.eq("_id", code), Filters.eq("usedFor", null)),
                                    Updates.combine(Updates.set("usedFor", useKey), Updates.set("usedAt", Date.from(now)))))
                            .flatMap(update -> update.getModifiedCount() == 1 ? Mono.just(found.getString("memberId"))
                                    : redeemAfterRace(code, useKey));
                });
    }

    /**
     * Frees a code that was bound to a transaction the engine refused (nothing was written), so that the till's
     * corrected request can present it again.
     */
    public Mono<Void> release(String code, String useKey) {
        return Mono.from(codes.updateOne(Filters.and(Filters.eq("_id", code), Filters.eq("usedFor", useKey)),
                Updates.combine(Updates.unset("usedFor"), Updates.unset("usedAt")))).then();
    }

    private Mono<String> redeemAfterRace(String code, String useKey) {
        return Mono.from(codes.find(Filters.eq("_id", code)).first())
                .flatMap(found -> useKey.equals(found.getString("usedFor")) ? Mono.just(found.getString("memberId"))
                        : Mono.error(refused("member-code-used", "was used for another transaction")));
    }

    private static AccessRefused refused(String type, String reason) {
        return AccessRefused.conflict(type, "memberCode " + reason,
                Map.of("errors", List.of(Map.of("field", "memberCode", "reason", reason))));
    }
}
