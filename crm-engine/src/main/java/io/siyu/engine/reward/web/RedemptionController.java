package io.siyu.engine.reward.web;

import io.siyu.engine.access.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.responsetypes.ResponseTypes;
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

import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.reward.FindReward;
import io.siyu.api.reward.FindRewardClaim;
import io.siyu.api.reward.HoldRewardRedemption;
import io.siyu.api.reward.RewardClaimView;
import io.siyu.api.reward.RewardDefined;
import io.siyu.api.reward.RewardHold;
import io.siyu.api.reward.RewardView;
import io.siyu.engine.member.InsufficientPointsException;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.member.RewardLimitReachedException;
import io.siyu.engine.refusal.Refusal;
import io.siyu.engine.reward.RewardOutOfStockException;
import io.siyu.engine.reward.RewardRedemptionRefusedException;
import io.siyu.engine.reward.UnknownRedemptionException;
import io.siyu.engine.reward.UnknownRewardException;
import io.siyu.engine.system.IdSource;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import io.siyu.engine.web.ReadYourWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redemptions: points spent on something the brand hands out itself ({@code points} + {@code reason}), or a coupon
 * from the reward catalogue ({@code rewardId}). A reward redemption first holds the member's points (refused at once,
 * 409 {@code reward-redemption-refused}, when it cannot pay or is at the reward's per-member limit), then reserves a
 * coupon and the member pays in one commit (see {@code RewardRedemptionSaga}); 409 {@code reward-out-of-stock} when
 * no unit was left. The request waits for the outcome, and answers 202 {@code pending} if it takes longer than the
 * wait (a retry with the same redemptionId answers it).
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
    private final EventStorageEngine eventStorage;
    private final ReadYourWrites readYourWrites;

    RedemptionController(MemberWrites writes, CommandDispatch dispatch, QueryGateway queryGateway, IdSource ids,
                         RateLimits limits, EventStorageEngine eventStorage, ReadYourWrites readYourWrites) {
        this.limits = limits;
        this.eventStorage = eventStorage;
        this.readYourWrites = readYourWrites;
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

    /**
     * The member holds the points first (refused there, before any unit is held, when it cannot pay or is at the
     * reward's limit); the saga reserves a unit and has the member pay; this waits for the claim to end.
     */
    private Mono<ResponseEntity<RedemptionResponse>> redeemReward(String memberId, RedemptionRequest request) {
        String redemptionId = request.redemptionId();
        return terms(request.rewardId())
                // the member in the path is named first when neither exists
                .switchIfEmpty(Mono.fromCallable(() -> eventStorage.lastSequenceNumberFor(memberId).isPresent())
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(known -> Mono.<RewardView>error(known ? new UnknownRewardException(request.rewardId())
                                : new UnknownMemberException(memberId))))
                .flatMap(reward -> Mono.using(
                        // subscribe before sending, so the outcome cannot slip past
                        () -> queryGateway.subscriptionQuery(new FindRewardClaim(memberId, redemptionId),
                                ResponseTypes.instanceOf(RewardClaimView.class),
                                ResponseTypes.instanceOf(RewardClaimView.class)),
                        (SubscriptionQueryResult<RewardClaimView, RewardClaimView> outcome) -> dispatch
                                .<RewardHold>send(new HoldRewardRedemption(memberId, redemptionId, reward.rewardId(),
                                        reward.name(), reward.pointsCost(), reward.perMemberLimit(),
                                        "CP-" + ids.nextId()))
                                .onErrorMap(RedemptionController::refusedByTheMember,
                                        refusal -> new RewardRedemptionRefusedException(redemptionId,
                                                ((Refusal) refusal).type() + ": " + refusal.getMessage()))
                                .flatMap(hold -> awaitOutcome(outcome, hold.duplicate(), request)),
                        SubscriptionQueryResult::cancel));
    }

    private static boolean refusedByTheMember(Throwable failure) {
        return failure instanceof InsufficientPointsException || failure instanceof RewardLimitReachedException;
    }

    /**
     * The reward's terms (immutable once defined) from the catalogue, or from its first event while the catalogue
     * has not caught up with a reward defined a moment ago; empty when there is no such reward.
     */
    private Mono<RewardView> terms(String rewardId) {
        return Mono.fromFuture(() -> queryGateway.query(new FindReward(rewardId),
                        ResponseTypes.instanceOf(RewardView.class)))
                .switchIfEmpty(Mono.fromCallable(() -> {
                    DomainEventStream events = eventStorage.readEvents(rewardId, 0);
                    if (events.hasNext() && events.next().getPayload() instanceof RewardDefined defined) {
                        return new RewardView(defined.rewardId(), defined.name(), defined.pointsCost(),
                                defined.stock(), defined.perMemberLimit(), defined.validDays());
                    }
                    return null;
                }).subscribeOn(Schedulers.boundedElastic()));
    }

    private Mono<ResponseEntity<RedemptionResponse>> awaitOutcome(
            SubscriptionQueryResult<RewardClaimView, RewardClaimView> outcome, boolean duplicate,
            RedemptionRequest request) {
        return outcome.initialResult().concatWith(outcome.updates())
                .filter(claim -> "redeemed".equals(claim.status()) || "released".equals(claim.status()))
                .next()
                .timeout(OUTCOME_WAIT)
                .flatMap(claim -> {
                    if ("released".equals(claim.status())) {
                        return Mono.error(claim.reason() != null && claim.reason().startsWith("reward-out-of-stock")
                                ? new RewardOutOfStockException(request.rewardId())
                                : new RewardRedemptionRefusedException(request.redemptionId(), claim.reason()));
                    }
                    // the payment is in the member's points view before the answer, as for every member write
                    // (a redemption paid before claims recorded the version has nothing to wait for)
                    Mono<Void> paymentSeen = claim.memberVersion() == null ? Mono.empty()
                            : readYourWrites.awaitMemberPoints(claim.memberId(), claim.memberVersion());
                    return paymentSeen.then(Mono.just(ResponseEntity.ok(new RedemptionResponse(claim.redemptionId(),
                                    claim.status(), null, claim.rewardId(), claim.points(), claim.couponCode(),
                                    claim.validUntil(), duplicate))));
                })
                .onErrorResume(TimeoutException.class, slow -> Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new RedemptionResponse(request.redemptionId(), "pending", null, request.rewardId(),
                                null, null, null, duplicate))));
    }
}
