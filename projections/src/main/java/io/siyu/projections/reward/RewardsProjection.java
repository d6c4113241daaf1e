package io.siyu.projections.reward;

import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.reward.FindReward;
import io.siyu.api.reward.FindRewards;
import io.siyu.api.reward.RewardPage;
import io.siyu.api.reward.FindRewardClaim;
import io.siyu.api.reward.RewardClaimView;
import io.siyu.api.reward.RewardDefined;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRedemptionAbandoned;
import io.siyu.api.reward.RewardRedemptionHeld;
import io.siyu.api.reward.RewardRestocked;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.api.reward.RewardView;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reward catalogue ({@code rewards}, by reward id) and the state of every reward redemption
 * ({@code reward_claims}, by {@code memberId/redemptionId}), both point reads. Every write sets absolute values taken
 * from the event (stock after, status), so a replayed event changes nothing. Claim changes are pushed to
 * subscription queries, which is how a redemption request waits for its outcome.
 */
@Component
@ProcessingGroup(RewardsProjection.PROCESSING_GROUP)
class RewardsProjection implements RebuildableProjection {

    static final String PROCESSING_GROUP = "rewards";
    static final String REWARDS = "rewards";
    static final String CLAIMS = "reward_claims";
    private static final String HELD = "held";
    private static final String RESERVED = "reserved";
    private static final String REDEEMED = "redeemed";
    private static final String RELEASED = "released";


    private final MongoCollection<Document> rewards;
    private final MongoCollection<Document> claims;
    private final QueryUpdateEmitter updateEmitter;

    private final MongoDatabase database;

    @Autowired
    RewardsProjection(MongoDatabase reactiveMongoDatabase, QueryUpdateEmitter updateEmitter) {
        this(reactiveMongoDatabase, updateEmitter, "");
    }

    /** @param updateEmitter where claim outcomes are pushed, or {@code null} for a shadow */
    private RewardsProjection(MongoDatabase database, QueryUpdateEmitter updateEmitter, String suffix) {
        this.database = database;
        this.rewards = database.getCollection(REWARDS + suffix);
        this.claims = database.getCollection(CLAIMS + suffix);
        this.updateEmitter = updateEmitter;
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<String> collections() {
        return List.of(REWARDS, CLAIMS);
    }

    @Override
    public Object shadow(String suffix) {
        return new RewardsProjection(database, null, suffix);
    }

    @EventHandler
    void on(RewardDefined event) {
        upsert(rewards, event.rewardId(), Updates.combine(Updates.set("name", event.name()),
                Updates.set("pointsCost", event.pointsCost()), Updates.setOnInsert("stock", event.stock()),
                Updates.set("perMemberLimit", event.perMemberLimit()), Updates.set("validDays", event.validDays())));
    }

    @EventHandler
    void on(RewardRestocked event) {
        upsert(rewards, event.rewardId(), Updates.set("stock", event.stockAfter()));
    }

    @EventHandler
    void on(RewardRedemptionHeld event) {
        createClaim(event.claimId(), event.memberId(), event.redemptionId(), event.rewardId(), HELD, event.points(),
                event.couponCode());
        emitStored(event.claimId());
    }

    @EventHandler
    void on(RewardStockReserved event) {
        upsert(rewards, event.rewardId(), Updates.set("stock", event.stockAfter()));
        // a reservation written before redemptions were held first has no claim yet
        createClaim(event.claimId(), event.memberId(), event.redemptionId(), event.rewardId(), RESERVED,
                event.pointsCost(), event.couponCode(), Updates.set("validUntil", Date.from(event.validUntil())));
        Mono.from(claims.updateOne(Filters.and(Filters.eq("_id", event.claimId()), Filters.eq("status", HELD)),
                Updates.set("status", RESERVED))).block();
        emitStored(event.claimId());
    }

    @EventHandler
    void on(RewardRedeemed event, @SequenceNumber long memberVersion) {
        settle(event.claimId(), REDEEMED, null, memberVersion);
    }

    @EventHandler
    void on(RewardRedemptionAbandoned event, @SequenceNumber long memberVersion) {
        settle(event.claimId(), RELEASED, event.reason(), memberVersion);
    }

    @EventHandler
    void on(RewardStockReleased event) {
        upsert(rewards, event.rewardId(), Updates.set("stock", event.stockAfter()));
        // the member's side ends the redemption (abandoned, with its version); this is the stock's side
        Mono.from(claims.updateOne(Filters.and(Filters.eq("_id", event.claimId()), Filters.ne("status", REDEEMED),
                        Filters.ne("status", RELEASED)),
                Updates.combine(Updates.set("status", RELEASED), Updates.set("reason", event.reason())))).block();
        emitStored(event.claimId());
    }

    /**
     * The claim as its first event makes it (nothing when it exists already: a redelivered event), with
     * {@code alsoSet} applied either way.
     */
    private void createClaim(String claimId, String memberId, String redemptionId, String rewardId, String status,
                             long points, String couponCode, Bson... alsoSet) {
        List<Bson> updates = new java.util.ArrayList<>(List.of(Updates.setOnInsert("memberId", memberId),
                Updates.setOnInsert("redemptionId", redemptionId), Updates.setOnInsert("rewardId", rewardId),
                Updates.setOnInsert("status", status), Updates.setOnInsert("points", points),
                Updates.setOnInsert("couponCode", couponCode)));
        updates.addAll(List.of(alsoSet));
        Mono.from(claims.updateOne(Filters.eq("_id", claimId), Updates.combine(updates),
                new UpdateOptions().upsert(true))).block();
    }

    /** An ending is final: a redemption once redeemed is never shown released, nor the other way round. */
    private void settle(String claimId, String status, String reason, long memberVersion) {
        Mono.from(claims.updateOne(Filters.and(Filters.eq("_id", claimId),
                        Filters.ne("status", status.equals(REDEEMED) ? RELEASED : REDEEMED)),
                Updates.combine(Updates.set("status", status), Updates.set("reason", reason),
                        Updates.set("memberVersion", memberVersion)))).block();
        emitStored(claimId);
    }

    /** Pushes the claim as stored (not as the event alone says), so a redelivered event never shows an old status. */
    private void emitStored(String claimId) {
        if (updateEmitter == null) {
            return;
        }
        Document claim = Mono.from(claims.find(Filters.eq("_id", claimId)).first()).block();
        if (claim == null) {
            return;
        }
        RewardClaimView view = toClaim(claim);
        updateEmitter.emit(FindRewardClaim.class, query -> query.memberId().equals(view.memberId())
                && query.redemptionId().equals(view.redemptionId()), view);
    }

    @QueryHandler
    CompletableFuture<RewardClaimView> handle(FindRewardClaim query) {
        return Mono.from(claims.find(Filters.eq("_id", query.memberId() + "/" + query.redemptionId())).first())
                .map(RewardsProjection::toClaim).toFuture();
    }

    @QueryHandler
    CompletableFuture<RewardView> handle(FindReward query) {
        return Mono.from(rewards.find(Filters.eq("_id", query.rewardId())).first())
                .map(RewardsProjection::toReward)
                .toFuture();
    }

    /** The catalogue in id order (a brand's catalogue is small; the page is bounded all the same). */
    @QueryHandler
    CompletableFuture<RewardPage> handle(FindRewards query) {
        Bson filter = query.after() == null ? new Document() : Filters.gt("_id", query.after());
        return Flux.from(rewards.find(filter).sort(new Document("_id", 1)).limit(query.limit() + 1))
                .map(RewardsProjection::toReward).collectList()
                .map(page -> page.size() > query.limit()
                        ? new RewardPage(page.subList(0, query.limit()), page.get(query.limit() - 1).rewardId())
                        : new RewardPage(page, null))
                .toFuture();
    }

    private static RewardView toReward(Document doc) {
        return new RewardView(doc.getString("_id"), doc.getString("name"), doc.get("pointsCost", 0L),
                doc.get("stock", 0L), doc.get("perMemberLimit", 0), doc.get("validDays", 0));
    }

    @ResetHandler
    void reset() {
        Mono.from(rewards.deleteMany(new Document())).block();
        Mono.from(claims.deleteMany(new Document())).block();
    }

    private static void upsert(MongoCollection<Document> collection, String id, Bson update) {
        Mono.from(collection.updateOne(Filters.eq("_id", id), update, new UpdateOptions().upsert(true))).block();
    }

    /** A coupon code and its validity are shown only once paid for: until then the code is not yet the member's. */
    private static RewardClaimView toClaim(Document doc) {
        boolean redeemed = REDEEMED.equals(doc.getString("status"));
        Date validUntil = redeemed ? doc.getDate("validUntil") : null;
        return new RewardClaimView(doc.getString("memberId"), doc.getString("redemptionId"), doc.getString("rewardId"),
                doc.getString("status"), doc.get("points", 0L), redeemed ? doc.getString("couponCode") : null,
                validUntil == null ? null : validUntil.toInstant(), doc.getString("reason"),
                doc.get("memberVersion", Long.class));
    }
}
