package io.siyu.engine.funnel.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.FunnelStage;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.funnel.PrivateDomainFunnel;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The private-domain funnel by cohort, and the buyers a marketer should bring into a WeCom group next. */
@RestController
@RequestMapping("/api/v1/funnels/private-domain")
class FunnelController {

    static final long MAX_DAYS = 3 * 366;
    private static final Criterion BUYERS_OUTSIDE_GROUPS = new Criterion.And(List.of(
            new Criterion.FunnelStageReached(FunnelStage.FIRST_PURCHASE),
            new Criterion.Not(new Criterion.InWeComGroup(null))));

    private final PrivateDomainFunnel funnel;
    private final MemberIndex index;
    private final Clock clock;
    private final ZoneId zone;

    FunnelController(PrivateDomainFunnel funnel, MemberIndex index, Clock clock, SystemProperties system) {
        this.funnel = funnel;
        this.index = index;
        this.clock = clock;
        this.zone = system.businessZone();
    }

    @GetMapping
    Mono<PrivateDomainFunnel.Report> report(@RequestParam(required = false) LocalDate from,
                                            @RequestParam(required = false) LocalDate to,
                                            @RequestParam(defaultValue = "week") String cohortBy,
                                            @RequestParam(required = false) String channel,
                                            @RequestParam(required = false) String store,
                                            @RequestParam(required = false) String contactState,
                                            @RequestParam(required = false) String joinState,
                                            @RequestParam(required = false) Instant asOf) {
        Instant now = clock.instant();
        if (asOf != null && asOf.isAfter(now)) {
            throw new InvalidFieldException("asOf", "lies in the future");
        }
        Instant at = asOf == null ? now : asOf;
        LocalDate last = to == null ? LocalDate.ofInstant(at, zone) : to;
        LocalDate first = from == null ? last.minusWeeks(12) : from;
        if (first.isAfter(last)) {
            throw new InvalidFieldException("from", "is after to");
        }
        if (ChronoUnit.DAYS.between(first, last) > MAX_DAYS) {
            throw new InvalidFieldException("from", "spans more than " + MAX_DAYS + " days to to");
        }
        PrivateDomainFunnel.CohortBy by = switch (cohortBy) {
            case "week" -> PrivateDomainFunnel.CohortBy.WEEK;
            case "month" -> PrivateDomainFunnel.CohortBy.MONTH;
            default -> throw new InvalidFieldException("cohortBy", "must be week or month");
        };
        if (channel != null && SalesChannel.fromCode(channel).isEmpty()) {
            throw new InvalidFieldException("channel", "must be one of " + SalesChannel.codes());
        }
        String contactCut = state("contactState", contactState);
        String joinCut = state("joinState", joinState);
        return Mono.fromCallable(() -> funnel.report(first, last, by,
                        new MemberIndex.Cut(channel, store, contactCut, joinCut), at))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** A contact or join way's {@code state} to cut by: WeCom's ≤ 30 characters; blank means no cut. */
    private static String state(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 30 || !value.matches("[A-Za-z0-9_.:-]+")) {
            throw new InvalidFieldException(field, "must be a state: at most 30 letters, digits, _ . : and -");
        }
        return value;
    }

    record MemberList(long count, long listed, List<String> members, String nextAfter) {
    }

    /**
     * Members who have bought and are in no WeCom customer group now, in registration order, paged by member id: the
     * campaign list, so only members who consent to marketing are listed ({@code listed}); {@code count} is everyone.
     */
    @GetMapping("/buyers-outside-groups")
    Mono<MemberList> buyersOutsideGroups(@RequestParam(required = false) String after,
                                         @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidFieldException("limit", "must be between 1 and 1000");
        }
        return Mono.fromCallable(() -> {
            java.time.Instant now = clock.instant();
            long everyone = index.select(BUYERS_OUTSIDE_GROUPS, now).cardinality();
            BitSet listed = index.select(new io.siyu.projections.audience.Criterion.And(List.of(BUYERS_OUTSIDE_GROUPS,
                    new io.siyu.projections.audience.Criterion.Consents("marketing"))), now);
            List<String> page = index.page(listed, after, limit);
            return new MemberList(everyone, listed.cardinality(), page,
                    page.size() < limit ? null : page.get(page.size() - 1));
        }).subscribeOn(Schedulers.boundedElastic());
    }

}
