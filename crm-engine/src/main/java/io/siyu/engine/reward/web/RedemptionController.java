package io.siyu.engine.reward.web;

import io.siyu.engine.access.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siyu.api.points.FindMemberPoints;
import io.siyu.api.points.MemberPointsView;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.reward.FindRewardClaim;
import io.siyu.api.reward.ReserveReward;
import io.siyu.api.reward.RewardClaimView;
import io.siyu.api.reward.RewardReservation;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.reward.RewardRedemptionRefusedException;
import io.siyu.engine.reward.UnknownRedemptionException;
import io.siyu.engine.reward.UnknownRewardException;
import io.siyu.engine.system.IdSource;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redemptions: points spent on something the brand hands out itself ({@code points} + {@code reason}), or a coupon
 * from the reward catalogue ({@code rewardId}). A reward redemption reserves a coupon, then the member pays in one
 * commit (see {@code RewardRedemptionSaga}); the request waits for that outcome, and answers 202 with the
 * redemption's address if it takes longer than the wait.
 */
@RestController
@RequestMapping("/api/v1/members/{memberId}/redemptions")
class RedemptionController {

    static final Duration OUTCOME_WAIT = Duration.ofSeconds(10);

    private final MemberWrites writes;
    private final CommandDispatch dispatch;
    private final QueryGateway queryGateway;
    private final IdSource ids;
    private final RateLimits limits;
    private final EventStore eventStore;

    RedemptionController(MemberWrites writes, CommandDispatch dispatch, QueryGateway queryGateway, IdSource ids,
                         RateLimits limits, EventStore eventStore) {
        this.limits = limits;
        this.eventStore = eventStore;
        this.writes = writes;
        this.dispatch = dispatch;
        this.queryGateway = queryGateway;
        this.ids = ids;
    }

    record RedemptionRequest(
            @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String redemptionId,
            @Positive @Max(1_000_000_000) Long points,
            @Size(max = 200) String reason,
            @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String rewardId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RedemptionResponse(String redemptionId, String status, Long balance, String rewardId, Long points,
                              String couponCode, Instant validUntil, boolean duplicate, String memberId) {

        RedemptionResponse(String redemptionId, String status, Long balance, String rewardId, Long points,
                           String couponCode, Instant validUntil, boolean duplicate) {
            this(redemptionId, status, balance, rewardId, points, couponCode, validUntil, duplicate, null);
        }

        RedemptionResponse withMemberId(String memberId) {
            return new RedemptionResponse(redemptionId, status, balance, rewardId, points, couponCode, validUntil,
                    duplicate, memberId);
        }
    }

    @PostMapping
    Mono<ResponseEntity<RedemptionResponse>> redeem(@PathVariable String memberId,
                                                    @Valid @RequestBody RedemptionRequest request) {
        validate(request);
        limits.redemption(memberId);
        if (request.rewardId() != null) {
            return MemberIdPath.check(memberId).flatMap(id -> redeemReward(id, request));
        }
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<RedemptionResult>send(id, new RedeemPoints(id, request.redemptionId(),
                        request.points(), request.reason())))
                .map(result -> ResponseEntity.ok(new RedemptionResponse(request.redemptionId(), "redeemed",
                        result.balance(), null, request.points(), null, null, result.duplicate())));
    }

    /** An {@link InvalidFieldException} naming what is wrong with the request, if anything. */
    static void validate(RedemptionRequest request) {
        if (request.redemptionId() == null || request.redemptionId().isBlank()) {
            throw new InvalidFieldException("redemptionId", "must not be blank");
        }
        if (request.rewardId() != null) {
            if (request.points() != null || request.reason() != null) {
                throw new InvalidFieldException("rewardId", "a reward redemption takes its points and reason from "
                        + "the reward; send rewardId or points and reason, not both");
            }
            return;
        }
        if (request.points() == null) {
            throw new InvalidFieldException("points", "must not be null");
        }
        if (request.reason() == null || request.reason().isBlank()) {
            throw new InvalidFieldException("reason", "must not be blank");
        }
    }

    @GetMapping("/{redemptionId}")
    Mono<RewardClaimView> claim(@PathVariable String memberId, @PathVariable String redemptionId) {
        return MemberIdPath.check(memberId)
                .flatMap(id -> Mono.fromFuture(() -> queryGateway.query(new FindRewardClaim(id, redemptionId),
                        ResponseTypes.instanceOf(RewardClaimView.class))))
                .switchIfEmpty(Mono.error(() -> new UnknownRedemptionException(redemptionId)));
    }

    private Mono<ResponseEntity<RedemptionResponse>> redeemReward(String memberId, RedemptionRequest request) {
        String redemptionId = request.redemptionId();
        return Mono.fromFuture(() -> queryGateway.query(new FindMemberPoints(memberId),
                        ResponseTypes.instanceOf(MemberPointsView.class)))
                // the read model may lag (just registered, or its store refusing writes): the events decide
                .map(known -> true)
                .switchIfEmpty(Mono.fromCallable(() -> eventStore.readEvents(memberId).hasNext())
                        .subscribeOn(Schedulers.boundedElastic()))
                .filter(known -> known)
                .switchIfEmpty(Mono.error(() -> new UnknownMemberException(memberId)))
                .then(Mono.using(
                        // subscribe before sending, so the outcome cannot slip past
                        () -> queryGateway.subscriptionQuery(new FindRewardClaim(memberId, redemptionId),
                                ResponseTypes.instanceOf(RewardClaimView.class),
                                ResponseTypes.instanceOf(RewardClaimView.class)),
                        (SubscriptionQueryResult<RewardClaimView, RewardClaimView> outcome) -> dispatch
                                .<RewardReservation>send(new ReserveReward(request.rewardId(), memberId, redemptionId,
                                        "CP-" + ids.nextId()))
                                .onErrorMap(AggregateNotFoundException.class,
                                        missing -> new UnknownRewardException(request.rewardId()))
                                .flatMap(reservation -> awaitOutcome(outcome, reservation, request)),
                        SubscriptionQueryResult::cancel));
    }

    private Mono<ResponseEntity<RedemptionResponse>> awaitOutcome(
            SubscriptionQueryResult<RewardClaimView, RewardClaimView> outcome, RewardReservation reservation,
            RedemptionRequest request) {
        if (reservation.released()) {
            return Mono.error(new RewardRedemptionRefusedException(request.redemptionId(), reservation.reason()));
        }
        return outcome.initialResult().concatWith(outcome.updates())
                .filter(claim -> !"reserved".equals(claim.status()))
                .next()
                .timeout(OUTCOME_WAIT)
                .flatMap(claim -> "released".equals(claim.status())
                        ? Mono.error(new RewardRedemptionRefusedException(request.redemptionId(), claim.reason()))
                        : Mono.just(ResponseEntity.ok(new RedemptionResponse(claim.redemptionId(), claim.status(),
                                null, claim.rewardId(), claim.points(), claim.couponCode(), claim.validUntil(),
                                reservation.duplicate()))))
                .onErrorResume(TimeoutException.class, slow -> Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new RedemptionResponse(request.redemptionId(), "pending", null, request.rewardId(),
                                null, null, null, reservation.duplicate()))));
    }
}
