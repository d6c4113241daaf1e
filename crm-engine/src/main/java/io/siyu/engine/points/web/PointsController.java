package io.siyu.engine.points.web;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import io.siyu.engine.access.AdjustmentAuthority;
import io.siyu.engine.access.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siyu.api.points.AdjustPoints;
import io.siyu.api.points.AdjustmentResult;
import io.siyu.api.points.FindMemberPoints;
import io.siyu.api.points.MemberPointsView;
import io.siyu.api.points.OpenLot;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.member.history.MemberHistory;
import io.siyu.engine.member.history.MemberStanding;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The loyalty widget's points, their state at a past instant, and manual adjustments by staff. */
@RestController
@RequestMapping("/api/v1/members")
class PointsController {

    /** The widget warns about points that expire within this window. */
    static final Duration EXPIRING_SOON = Duration.ofDays(30);

    private final MemberWrites writes;
    private final QueryGateway queryGateway;
    private final MemberIdentities identities;
    private final MemberHistory history;
    private final BusinessCalendar calendar;
    private final Clock clock;

    private final AdjustmentAuthority adjustments;

    PointsController(MemberWrites writes, QueryGateway queryGateway, MemberIdentities identities,
                     MemberHistory history, BusinessCalendar calendar, Clock clock,
                     AdjustmentAuthority adjustments) {
        this.adjustments = adjustments;
        this.writes = writes;
        this.queryGateway = queryGateway;
        this.identities = identities;
        this.history = history;
        this.calendar = calendar;
        this.clock = clock;
    }

    record AdjustmentRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String adjustmentId,
            @NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Long points,
            @NotBlank @Size(max = 200) String reason,
            /** ignored: the actor recorded is the caller's credential */
            @Size(max = 200) String actor) {
    }

    record AdjustmentResponse(long balance, long debt, boolean duplicate) {
    }

    record Movement(Instant at, String kind, long points, String reason) {
    }

    /**
     * @param points         points that expire next (all lots sharing that instant)
     * @param lastUsableDay  the last business day they can be used
     * @param expiresAt      the first instant they can no longer be used
     */
    record ExpiringSoon(long points, LocalDate lastUsableDay, Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PointsResponse(String memberId, long balance, long debt, long lifetimeEarned, long lifetimeRedeemed,
                          Integer streak, LocalDate lastCheckInDay, ExpiringSoon expiringSoon, List<OpenLot> lots,
                          List<Movement> recent, Instant asOf) {
    }

    @PostMapping("/{memberId}/adjustments")
    Mono<AdjustmentResponse> adjust(@PathVariable String memberId, @Valid @RequestBody AdjustmentRequest request,
                                    @AuthenticationPrincipal Caller caller) {
        if (request.points() == 0) {
            throw new InvalidFieldException("points", "must not be 0");
        }
        adjustments.check(caller, request.points());
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<AdjustmentResult>send(id, new AdjustPoints(id, request.adjustmentId(),
                        request.points(), request.reason(), caller.actor())))
                .map(result -> new AdjustmentResponse(result.balance(), result.debt(), result.duplicate()));
    }

    @GetMapping("/{memberId}/points")
    Mono<PointsResponse> points(@PathVariable String memberId,
                                @RequestParam(required = false) OffsetDateTime asOf) {
        if (asOf != null) {
            Instant at = asOf.toInstant();
            if (at.isAfter(clock.instant())) {
                throw new InvalidFieldException("asOf", "lies in the future");
            }
            return MemberIdPath.check(memberId)
                    .flatMap(id -> Mono.fromCallable(() -> history.asOf(id, at)).subscribeOn(Schedulers.boundedElastic())
                            .flatMap(Mono::justOrEmpty)
                            .switchIfEmpty(Mono.error(() -> new UnknownMemberException(id)))
                            .map(standing -> asOfResponse(id, standing, at)));
        }
        return MemberIdPath.check(memberId).flatMap(this::pointsOf);
    }

    @GetMapping("/by-openid/{openid}")
    Mono<PointsResponse> byOpenid(@PathVariable String openid) {
        return identities.find(openid)
                .switchIfEmpty(Mono.error(UnknownMemberException::withOpenid))
                .flatMap(this::pointsOf);
    }

    private Mono<PointsResponse> pointsOf(String memberId) {
        return Mono.fromFuture(() -> queryGateway.query(new FindMemberPoints(memberId),
                        ResponseTypes.instanceOf(MemberPointsView.class)))
                .switchIfEmpty(Mono.error(() -> new UnknownMemberException(memberId)))
                .map(this::toResponse);
    }

    private PointsResponse toResponse(MemberPointsView view) {
        Instant now = clock.instant();
        LocalDate today = calendar.dayOf(now);
        List<Movement> recent = view.recent().stream()
                .map(movement -> new Movement(movement.at(), movement.kind(), movement.points(), movement.reason()))
                .toList();
        List<OpenLot> usable = view.lots().stream().filter(lot -> !lot.expiredAt(now)).toList();
        return new PointsResponse(view.memberId(), view.balanceAt(now), view.debt(), view.lifetimeEarned(),
                view.lifetimeRedeemed(), view.streakOn(today), view.lastCheckInDay(), expiringSoon(
                        view.nextExpiry(now, EXPIRING_SOON).orElse(null)), usable, recent, null);
    }

    private PointsResponse asOfResponse(String memberId, MemberStanding standing, Instant at) {
        MemberPointsView view = new MemberPointsView(memberId, null, standing.ledger().balance(),
                standing.ledger().debt(), standing.lifetimeEarned(), standing.lifetimeRedeemed(), 0, null,
                standing.ledger().openLots(), List.of(), -1);
        List<OpenLot> usable = view.lots().stream().filter(lot -> !lot.expiredAt(at)).toList();
        return new PointsResponse(memberId, view.balanceAt(at), view.debt(), view.lifetimeEarned(),
                view.lifetimeRedeemed(), null, null, expiringSoon(view.nextExpiry(at, EXPIRING_SOON).orElse(null)),
                usable, null, at);
    }

    private ExpiringSoon expiringSoon(MemberPointsView.Expiry expiry) {
        if (expiry == null) {
            return null;
        }
        return new ExpiringSoon(expiry.points(), calendar.dayOf(expiry.expiresAt().minusNanos(1)), expiry.expiresAt());
    }
}
