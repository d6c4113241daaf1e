package io.siyu.engine.tier;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import io.siyu.api.member.FindMemberStanding;
import io.siyu.api.member.MemberStandingView;
import io.siyu.engine.member.history.MemberHistory;

/** Answers where a member stands now (tier, balance) from the member's own events, as the tier endpoint does. */
@Component
class MemberStandingQueries {

    private final MemberHistory history;
    private final TierQualificationPolicy qualification;
    private final Clock clock;

    MemberStandingQueries(MemberHistory history, TierQualificationPolicy qualification, Clock clock) {
        this.history = history;
        this.qualification = qualification;
        this.clock = clock;
    }

    /** @return the standing, or {@code null} for a member that does not exist */
    @QueryHandler
    CompletableFuture<MemberStandingView> handle(FindMemberStanding query) {
        Instant now = clock.instant();
        return CompletableFuture.completedFuture(history.asOf(query.memberId(), now).map(standing -> {
            TierLevel tier = qualification.level(standing.tier(qualification)).orElse(qualification.base());
            return new MemberStandingView(query.memberId(), tier.code(), tier.name(), tier.nameEn(),
                    standing.ledger().balanceAt(now));
        }).orElse(null));
    }
}
