package io.siyu.engine.tier;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.siyu.api.member.FindMemberStanding;
import io.siyu.api.member.MemberStandingView;
import io.siyu.engine.member.history.MemberHistory;
import io.siyu.engine.store.MongoEndpoint;

/**
 * Answers where a member stands now (tier, balance) for the WeCom welcome, which has 20 s: from the widget's read
 * models by two point reads ({@code member_points} balance, {@code member_facts} tier); a member the read models have
 * not caught up with yet (registered a moment ago) is read from their own events instead.
 */
@Component
class MemberStandingQueries {

    private final MemberHistory history;
    private final TierQualificationPolicy qualification;
    private final Clock clock;
    private final MongoCollection<Document> points;
    private final MongoCollection<Document> facts;

    MemberStandingQueries(MemberHistory history, TierQualificationPolicy qualification, Clock clock,
                          MongoClient syncMongoClient, MongoEndpoint endpoint) {
        this.history = history;
        this.qualification = qualification;
        this.clock = clock;
        this.points = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_points");
        this.facts = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_facts");
    }

    /** @return the standing, or {@code null} for a member that does not exist */
    @QueryHandler
    CompletableFuture<MemberStandingView> handle(FindMemberStanding query) {
        Document view = points.find(Filters.eq("_id", query.memberId())).first();
        if (view != null && view.get("balance") instanceof Number balance) {
            Document memberFacts = facts.find(Filters.eq("_id", query.memberId())).first();
            String code = memberFacts == null ? null : memberFacts.getString("tier");
            TierLevel tier = code == null ? qualification.base() : qualification.level(code)
                    .orElse(qualification.base());
            return CompletableFuture.completedFuture(new MemberStandingView(query.memberId(), tier.code(),
                    tier.name(), tier.nameEn(), balance.longValue()));
        }
        Instant now = clock.instant();
        return CompletableFuture.completedFuture(history.asOf(query.memberId(), now).map(standing -> {
            TierLevel tier = qualification.level(standing.tier(qualification)).orElse(qualification.base());
            return new MemberStandingView(query.memberId(), tier.code(), tier.name(), tier.nameEn(),
                    standing.ledger().balanceAt(now));
        }).orElse(null));
    }
}
