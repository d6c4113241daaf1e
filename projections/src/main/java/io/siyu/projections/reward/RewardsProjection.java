package io.siyu.projections.reward;

import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
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
import io.siyu.api.reward.FindRewardClaim;
import io.siyu.api.reward.RewardClaimView;
import io.siyu.api.reward.RewardDefined;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.reward.RewardRestocked;
import io.siyu.api.reward.RewardStockReleased;
import io.siyu.api.reward.RewardStockReserved;
import io.siyu.api.reward.RewardView;
import io.siyu.projections.support.RebuildableProjection;
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
    void on(RewardStockReserved event) {
        upsert(rewards, event.rewardId(), Updates.set("stock", event.stockAfter()));
        Mono.from(claims.updateOne(Filters.eq("_id", event.claimId()),
                Updates.combine(Updates.setOnInsert("memberId", event.memberId()),
                        Updates.setOnInsert("redemptionId", event.redemptionId()),
                        Updates.setOnInsert("rewardId", event.rewardId()),
                        Updates.setOnInsert("status", "reserved"),
                        Updates.setOnInsert("points", event.pointsCost()),
                        Updates.setOnInsert("couponCode", event.couponCode()),
                        Updates.setOnInsert("validUntil", Date.from(event.validUntil()))),
                new UpdateOptions().upsert(true))).block();
        emitStored(event.claimId());
    }

    @EventHandler
    void on(RewardRedeemed event) {
        settle(event.claimId(), "redeemed", null);
    }

    @EventHandler
    void on(RewardStockReleased event) {
        upsert(rewards, event.rewardId(), Updates.set("stock", event.stockAfter()));
        settle(event.claimId(), "released", event.reason());
    }

    private void settle(String claimId, String status, String reason) {
        Mono.from(claims.updateOne(Filters.eq("_id", claimId),
                Updates.combine(Updates.set("status", status), Updates.set("reason", reason)))).block();
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
                .map(doc -> new RewardView(doc.getString("_id"), doc.getString("name"), doc.get("pointsCost", 0L),
                        doc.get("stock", 0L), doc.get("perMemberLimit", 0), doc.get("validDays", 0)))
                .toFuture();
    }

    @ResetHandler
    void reset() {
        Mono.from(rewards.deleteMany(new Document())).block();
        Mono.from(claims.deleteMany(new Document())).block();
    }

    private static void upsert(MongoCollection<Document> collection, String id, Bson update) {
        Mono.from(collection.updateOne(Filters.eq("_id", id), update, new UpdateOptions().upsert(true))).block();
    }

    /** A coupon code and its validity are shown only once paid for: a released claim's code was never the member's. */
    private static RewardClaimView toClaim(Document doc) {
        boolean released = "released".equals(doc.getString("status"));
        Date validUntil = released ? null : doc.getDate("validUntil");
        return new RewardClaimView(doc.getString("memberId"), doc.getString("redemptionId"), doc.getString("rewardId"),
                doc.getString("status"), doc.get("points", 0L), released ? null : doc.getString("couponCode"),
                validUntil == null ? null : validUntil.toInstant(), doc.getString("reason"));
    }
}
