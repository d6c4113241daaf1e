package io.siyu.engine.tier.web;

import io.siyu.engine.access.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siyu.api.tier.OverrideTier;
import io.siyu.api.tier.TierResult;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.member.history.MemberHistory;
import io.siyu.engine.member.history.MemberStanding;
import io.siyu.engine.tier.Qualifying;
import io.siyu.engine.tier.TierBasis;
import io.siyu.engine.tier.TierLevel;
import io.siyu.engine.tier.TierQualificationPolicy;
import io.siyu.engine.tier.TierRetentionPolicy;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A member's tier, explained: since when, what counts, what the next tier needs and by when, when the next
 * retention review is and what it needs; now or as it stood at a past instant. And manual overrides by staff.
 */
@RestController
@RequestMapping("/api/v1/members/{memberId}/tier")
class TierController {

    private final MemberHistory history;
    private final MemberWrites writes;
    private final TierQualificationPolicy qualification;
    private final TierRetentionPolicy retention;
    private final BusinessCalendar calendar;
    private final Clock clock;
    private final io.siyu.engine.web.ApiProperties api;

    TierController(MemberHistory history, MemberWrites writes, TierQualificationPolicy qualification,
                   TierRetentionPolicy retention, BusinessCalendar calendar, Clock clock,
                   io.siyu.engine.web.ApiProperties api) {
        this.api = api;
        this.history = history;
        this.writes = writes;
        this.qualification = qualification;
        this.retention = retention;
        this.calendar = calendar;
        this.clock = clock;
    }

    record Tier(String code, String name, String nameEn) {
        static Tier of(TierLevel level) {
            return new Tier(level.code(), level.name(), level.nameEn());
        }
    }

    /** What the next tier needs: {@code needed} more (fen or points) before {@code neededBy}, in words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NextTier(Tier tier, long threshold, long needed, LocalDate neededBy, String message, String messageZh) {
    }

    /** The next retention review and what keeping the tier needs. */
    record Retention(Instant reviewAt, LocalDate reviewDay, long threshold, long countedSoFar, boolean onTrack,
                     String message, String messageZh) {
    }

    record Floor(Tier tier, Instant until, String semantics) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TierResponse(String memberId, Tier tier, Instant since, String basis, long qualifyingSpendFen,
                        long qualifyingPoints, Instant windowFrom, NextTier next, Retention retention, Floor floor,
                        Instant asOf) {
    }

    record OverrideRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String overrideId,
            @NotBlank @Size(max = 32) String tier,
            @NotNull OffsetDateTime until,
            @NotBlank @Size(max = 200) String reason,
            /** ignored: the actor recorded is the caller's credential */
            @Size(max = 200) String actor) {
    }

    record OverrideResponse(String tier, boolean duplicate, String semantics) {
    }

    static final String FLOOR_SEMANTICS = "The tier is set now and is a floor until the given time: no retention "
            + "review lowers the member below it, purchases can still raise them above it; when it ends the member "
            + "is reviewed that day under the normal retention rules.";

    @GetMapping
    Mono<TierResponse> tier(@PathVariable String memberId, @RequestParam(required = false) OffsetDateTime asOf) {
        Instant now = clock.instant();
        Instant at = asOf == null ? now : asOf.toInstant();
        if (at.isAfter(now)) {
            throw new InvalidFieldException("asOf", "lies in the future");
        }
        return MemberIdPath.check(memberId)
                .flatMap(id -> Mono.fromCallable(() -> history.asOf(id, at)).subscribeOn(Schedulers.boundedElastic())
                        .flatMap(Mono::justOrEmpty)
                        .switchIfEmpty(Mono.error(() -> new UnknownMemberException(id)))
                        .map(standing -> explain(id, standing, at, asOf == null ? null : at)));
    }

    @PostMapping("/overrides")
    Mono<OverrideResponse> override(@PathVariable String memberId, @Valid @RequestBody OverrideRequest request,
                                    @AuthenticationPrincipal Caller caller) {
        if (qualification.level(request.tier()).isEmpty()) {
            throw new InvalidFieldException("tier", "must be one of " + qualification.levels().stream()
                    .map(TierLevel::code).toList());
        }
        if (!request.until().toInstant().isAfter(clock.instant())) {
            throw new InvalidFieldException("until", "must lie in the future");
        }
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<TierResult>send(id, new OverrideTier(id, request.overrideId(), request.tier(),
                        request.until().toInstant(), request.reason(), caller.actor())))
                .map(result -> new OverrideResponse(result.tier(), result.duplicate(), FLOOR_SEMANTICS));
    }

    private TierResponse explain(String memberId, MemberStanding standing, Instant at, Instant asOf) {
        TierLevel current = qualification.level(standing.tier(qualification)).orElse(qualification.base());
        Instant windowFrom = qualification.windowStart(at);
        // now: a sale stamped a little ahead of this clock (accepted within the skew) already counts, as it did for
        // the upgrade it triggered; as of an instant: what had happened by then
        Instant countedUntil = asOf == null ? at.plus(api.maxClockSkew()) : at;
        Qualifying qualifying = standing.qualifying(windowFrom, countedUntil);
        long counted = qualifying.on(qualification.basis());
        NextTier next = qualification.next(current.code()).map(level -> {
            // never negative: spend already counted but not yet reviewed (a sale stamped ahead of this clock) is enough
            long needed = Math.max(0, level.threshold() - counted);
            LocalDate neededBy = needed == 0 ? null : standing.oldestCounted(windowFrom, countedUntil, qualification.basis())
                    .map(oldest -> calendar.dayOf(oldest.atZone(qualification.zone())
                            .plusMonths(qualification.windowMonths()).toInstant()).minusDays(1))
                    .orElse(null);
            String amount = qualification.amount(needed);
            String by = neededBy == null ? "" : " by " + neededBy;
            String byZh = neededBy == null ? "" : "在" + neededBy + "前";
            String what = qualification.basis() == TierBasis.SPEND ? "Spend " : "Earn ";
            String whatZh = qualification.basis() == TierBasis.SPEND ? "再消费" : "再获得";
            if (needed == 0) {
                // qualifies already but held below it (a manual floor set lower): the next purchase or review moves it
                return new NextTier(Tier.of(level), level.threshold(), 0, null,
                        "Already qualifies for " + level.nameEn() + ": it applies with the next purchase or review",
                        "已满足" + level.name() + "条件，下次消费或等级复核时生效");
            }
            return new NextTier(Tier.of(level), level.threshold(), needed, neededBy,
                    what + amount + " more" + by + " to reach " + level.nameEn(),
                    byZh + whatZh + amountZh(needed) + "即可升级为" + level.name());
        }).orElse(null);
        Retention keep = null;
        Instant reviewAt = standing.nextReviewAt();
        Optional<MemberStanding.Floor> floor = standing.floorAt(at);
        if (reviewAt != null) {
            Instant reviewWindowFrom = qualification.windowStart(reviewAt);
            long soFar = standing.qualifying(reviewWindowFrom, countedUntil).on(qualification.basis());
            boolean onTrack = soFar >= current.threshold();
            LocalDate reviewDay = calendar.dayOf(reviewAt);
            String message = onTrack
                    ? "You keep " + current.nameEn() + " at the review on " + reviewDay + ": "
                    + qualification.amount(soFar) + " already counts"
                    : "Review on " + reviewDay + ": " + qualification.amount(current.threshold() - soFar)
                    + " more by then keeps " + current.nameEn() + " (" + qualification.amount(soFar) + " counts so far)";
            String messageZh = onTrack
                    ? reviewDay + "保级评估：已满足" + current.name() + "保级条件"
                    : reviewDay + "保级评估前再消费" + amountZh(current.threshold() - soFar) + "即可保留" + current.name();
            keep = new Retention(reviewAt, reviewDay, current.threshold(), soFar, onTrack, message, messageZh);
        }
        return new TierResponse(memberId, Tier.of(current), standing.tierSince(),
                qualification.basis().name().toLowerCase(), qualifying.spendFen(), qualifying.points(), windowFrom,
                next, keep, floor.map(f -> new Floor(Tier.of(qualification.level(f.tier()).orElse(current)),
                        f.until(), FLOOR_SEMANTICS)).orElse(null), asOf);
    }

    private String amountZh(long value) {
        return qualification.basis() == TierBasis.SPEND
                ? String.format(java.util.Locale.ROOT, "%,.2f元", java.math.BigDecimal.valueOf(value, 2))
                : String.format(java.util.Locale.ROOT, "%,d积分", value);
    }
}
