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
        Instant at = at(asOf);
        LocalDate[] days = days(from, to, at);
        LocalDate first = days[0];
        LocalDate last = days[1];
        PrivateDomainFunnel.CohortBy by = cohortBy(cohortBy);
        store(store);
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

    /**
     * The members one stage of the funnel counted, as the funnel counted them: a cohort (its {@code firstDay} from the
     * report, with {@code cohortBy}) or, without one, every cohort from {@code from} to {@code to}; the same cuts and
     * {@code asOf}. Members are listed in registration order with figures only (tier, points, streak, channel, store,
     * when they reached the stage) — nothing that identifies the person. {@code limit} ≤ 200 (50).
     */
    @GetMapping("/stages/{stage}/members")
    Mono<MemberIndex.StageMembers> stageMembers(@org.springframework.web.bind.annotation.PathVariable String stage,
                                                @RequestParam(required = false) LocalDate cohort,
                                                @RequestParam(required = false) LocalDate from,
                                                @RequestParam(required = false) LocalDate to,
                                                @RequestParam(defaultValue = "week") String cohortBy,
                                                @RequestParam(required = false) String channel,
                                                @RequestParam(required = false) String store,
                                                @RequestParam(required = false) String contactState,
                                                @RequestParam(required = false) String joinState,
                                                @RequestParam(required = false) Instant asOf,
                                                @RequestParam(required = false) String after,
                                                @RequestParam(defaultValue = "50") int limit) {
        FunnelStage reached = FunnelStage.fromCode(stage).orElseThrow(() -> new InvalidFieldException("stage",
                "must be one of " + java.util.Arrays.stream(FunnelStage.values()).map(FunnelStage::code).toList()));
        if (limit < 1 || limit > 200) {
            throw new InvalidFieldException("limit", "must be between 1 and 200");
        }
        if (after != null && after.length() > 64) {
            throw new InvalidFieldException("after", "is not a member id from a page's nextAfter");
        }
        Instant at = at(asOf);
        PrivateDomainFunnel.CohortBy by = cohortBy(cohortBy);
        LocalDate first;
        LocalDate last;
        if (cohort != null) {
            day("cohort", cohort);
            if (from != null || to != null) {
                throw new InvalidFieldException(from != null ? "from" : "to", "cannot be given with cohort");
            }
            if (!PrivateDomainFunnel.firstDayOf(cohort, by).equals(cohort)) {
                throw new InvalidFieldException("cohort", "must be a cohort's firstDay: a Monday by week, "
                        + "the 1st by month");
            }
            first = cohort;
            last = by == PrivateDomainFunnel.CohortBy.WEEK ? cohort.plusDays(6) : cohort.plusMonths(1).minusDays(1);
        } else {
            LocalDate[] days = days(from, to, at);
            first = days[0];
            last = days[1];
        }
        if (channel != null && SalesChannel.fromCode(channel).isEmpty()) {
            throw new InvalidFieldException("channel", "must be one of " + SalesChannel.codes());
        }
        MemberIndex.Cut cut = new MemberIndex.Cut(channel, store, state("contactState", contactState),
                state("joinState", joinState));
        store(store);
        return Mono.fromCallable(() -> index.stageMembers(first, last, cut, reached, at, after, limit))
                .onErrorMap(IllegalArgumentException.class, unknown -> new InvalidFieldException("after",
                        unknown.getMessage()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Programmes began after this: earlier days and instants are refused, not computed into nonsense. */
    static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);

    /** The instant a report is as of: now, or an {@code asOf} from 2000 on that does not lie in the future. */
    private Instant at(Instant asOf) {
        Instant now = clock.instant();
        if (asOf != null && asOf.isAfter(now)) {
            throw new InvalidFieldException("asOf", "lies in the future");
        }
        if (asOf != null && asOf.isBefore(FIRST_DAY.atStartOfDay(zone).toInstant())) {
            throw new InvalidFieldException("asOf", "lies before 2000-01-01");
        }
        return asOf == null ? now : asOf;
    }

    /** A day a report names: from 2000-01-01 to a year past today. */
    private void day(String field, LocalDate day) {
        if (day != null && (day.isBefore(FIRST_DAY) || day.isAfter(LocalDate.ofInstant(clock.instant(), zone)
                .plusYears(1)))) {
            throw new InvalidFieldException(field, "must lie between 2000-01-01 and a year from today");
        }
    }

    /** A store id to cut by: at most 64 characters, as a registration's. */
    private static void store(String store) {
        if (store != null && (store.length() > 64 || store.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidFieldException("store", "must be a store id: at most 64 characters, no control characters");
        }
    }

    /** The registration days {@code [from, to]}: by default the 12 weeks up to {@code at}'s day, at most MAX_DAYS. */
    private LocalDate[] days(LocalDate from, LocalDate to, Instant at) {
        day("from", from);
        day("to", to);
        LocalDate last = to == null ? LocalDate.ofInstant(at, zone) : to;
        LocalDate first = from == null ? last.minusWeeks(12) : from;
        if (first.isAfter(last)) {
            throw new InvalidFieldException("from", "is after to");
        }
        if (ChronoUnit.DAYS.between(first, last) > MAX_DAYS) {
            throw new InvalidFieldException("from", "lies more than " + MAX_DAYS + " days before to");
        }
        return new LocalDate[]{first, last};
    }

    private static PrivateDomainFunnel.CohortBy cohortBy(String cohortBy) {
        return switch (cohortBy) {
            case "week" -> PrivateDomainFunnel.CohortBy.WEEK;
            case "month" -> PrivateDomainFunnel.CohortBy.MONTH;
            default -> throw new InvalidFieldException("cohortBy", "must be week or month");
        };
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
