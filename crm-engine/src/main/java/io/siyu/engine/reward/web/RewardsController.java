package io.siyu.engine.reward.web;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.reward.DefineReward;
import io.siyu.api.reward.FindReward;
import io.siyu.api.reward.FindRewards;
import io.siyu.api.reward.RewardPage;
import io.siyu.engine.web.InvalidFieldException;
import org.springframework.web.bind.annotation.RequestParam;
import io.siyu.api.reward.RestockReward;
import io.siyu.api.reward.RewardRestock;
import io.siyu.api.reward.RewardView;
import io.siyu.engine.reward.UnknownRewardException;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** The reward catalogue: coupon rewards with a points cost, a stock, a per-member limit and a validity. */
@RestController
@RequestMapping("/api/v1/rewards")
class RewardsController {

    private final CommandDispatch dispatch;
    private final QueryGateway queryGateway;

    RewardsController(CommandDispatch dispatch, QueryGateway queryGateway) {
        this.dispatch = dispatch;
        this.queryGateway = queryGateway;
    }

    record RewardRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String rewardId,
            @NotBlank @Size(max = 100) String name,
            @NotNull @Positive @Max(1_000_000_000) Long pointsCost,
            @NotNull @Min(0) @Max(100_000_000) Long stock,
            @NotNull @Min(1) @Max(1_000) Integer perMemberLimit,
            @NotNull @Min(1) @Max(3_650) Integer validDays) {
    }

    record RestockRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String restockId,
            @NotNull @Positive @Max(100_000_000) Long quantity) {
    }

    record RestockResponse(String rewardId, long stock, boolean duplicate) {
    }

    /** A reward as defined; {@code duplicate} when this definition was made before (answered 200, not 201). */
    record RewardResponse(String rewardId, String name, long pointsCost, long stock, int perMemberLimit,
                          int validDays, boolean duplicate) {
    }

    @PostMapping
    Mono<ResponseEntity<RewardResponse>> define(@Valid @RequestBody RewardRequest request) {
        return dispatch.<Boolean>send(new DefineReward(request.rewardId(), request.name(), request.pointsCost(),
                        request.stock(), request.perMemberLimit(), request.validDays()))
                .map(created -> ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(new RewardResponse(request.rewardId(), request.name(), request.pointsCost(),
                                request.stock(), request.perMemberLimit(), request.validDays(), !created)));
    }

    @PostMapping("/{rewardId}/restocks")
    Mono<RestockResponse> restock(@PathVariable String rewardId, @Valid @RequestBody RestockRequest request) {
        if (rewardId.length() > Ids.MAX_LENGTH || !rewardId.matches(Ids.PATTERN)) {
            throw new UnknownRewardException(rewardId.substring(0, Math.min(rewardId.length(), Ids.MAX_LENGTH)));
        }
        return dispatch.<RewardRestock>send(new RestockReward(rewardId, request.restockId(), request.quantity()))
                .onErrorMap(AggregateNotFoundException.class, missing -> new UnknownRewardException(rewardId))
                .map(restock -> new RestockResponse(rewardId, restock.stock(), restock.duplicate()));
    }

    /** {@code GET /api/v1/rewards[?after=&limit=]}: the catalogue with stock, in id order ({@code limit} ≤ 200, 50). */
    @GetMapping
    Mono<RewardPage> catalogue(@RequestParam(required = false) String after,
                               @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 200) {
            throw new InvalidFieldException("limit", "must be between 1 and 200");
        }
        if (after != null && (after.length() > Ids.MAX_LENGTH || !after.matches(Ids.PATTERN))) {
            throw new InvalidFieldException("after", "is not a reward id from a page's nextAfter");
        }
        return Mono.fromFuture(() -> queryGateway.query(new FindRewards(after, limit),
                ResponseTypes.instanceOf(RewardPage.class)));
    }

    @GetMapping("/{rewardId}")
    Mono<RewardView> reward(@PathVariable String rewardId) {
        return Mono.fromFuture(() -> queryGateway.query(new FindReward(rewardId),
                        ResponseTypes.instanceOf(RewardView.class)))
                .switchIfEmpty(Mono.error(() -> new UnknownRewardException(rewardId)));
    }
}
