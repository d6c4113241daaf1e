package io.siyu.engine.points.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.points.FindMemberPoints;
import io.siyu.api.points.MemberPointsView;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.engine.checkin.BusinessCalendar;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** The loyalty widget's reads, and redemptions. */
@RestController
@RequestMapping("/api/v1/members")
class PointsController {

    private final MemberWrites writes;
    private final QueryGateway queryGateway;
    private final MemberIdentities identities;
    private final BusinessCalendar calendar;
    private final Clock clock;

    PointsController(MemberWrites writes, QueryGateway queryGateway, MemberIdentities identities,
                     BusinessCalendar calendar, Clock clock) {
        this.writes = writes;
        this.queryGateway = queryGateway;
        this.identities = identities;
        this.calendar = calendar;
        this.clock = clock;
    }

    record RedemptionRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String redemptionId,
            @NotNull @Positive @Max(1_000_000_000) Long points,
            @NotBlank @Size(max = 200) String reason) {
    }

    record RedemptionResponse(long balance, boolean duplicate) {
    }

    record Movement(Instant at, String kind, long points, String reason) {
    }

    record PointsResponse(String memberId, long balance, long lifetimeEarned, long lifetimeRedeemed, int streak,
                          LocalDate lastCheckInDay, List<Movement> recent) {
    }

    @PostMapping("/{memberId}/redemptions")
    Mono<RedemptionResponse> redeem(@PathVariable String memberId, @Valid @RequestBody RedemptionRequest request) {
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<RedemptionResult>send(id, new RedeemPoints(id, request.redemptionId(),
                        request.points(), request.reason())))
                .map(result -> new RedemptionResponse(result.balance(), result.duplicate()));
    }

    @GetMapping("/{memberId}/points")
    Mono<PointsResponse> points(@PathVariable String memberId) {
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
        LocalDate today = calendar.dayOf(clock.instant());
        List<Movement> recent = view.recent().stream()
                .map(movement -> new Movement(movement.at(), movement.kind(), movement.points(), movement.reason()))
                .toList();
        return new PointsResponse(view.memberId(), view.balance(), view.lifetimeEarned(), view.lifetimeRedeemed(),
                view.streakOn(today), view.lastCheckInDay(), recent);
    }
}
