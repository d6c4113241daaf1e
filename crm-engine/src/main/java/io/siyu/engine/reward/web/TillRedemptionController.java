package io.siyu.engine.reward.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.access.TillMembers;
import io.siyu.engine.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * A redemption at a till: {@code POST /api/v1/redemptions {"memberCode" (or memberId, openid, unionid),
 * "redemptionId", "points","reason" | "rewardId"}} answers as {@code POST /members/{id}/redemptions} does, plus the
 * {@code memberId}. The member code serves this redemption only (a retry with the same redemptionId resolves again).
 */
@RestController
class TillRedemptionController {

    private final TillMembers members;
    private final RedemptionController redemptions;

    TillRedemptionController(TillMembers members, RedemptionController redemptions) {
        this.members = members;
        this.redemptions = redemptions;
    }

    record TillRedemptionRequest(
            @Size(max = 64) String memberId,
            @Size(max = 128) String openid,
            @Size(max = 128) String unionid,
            @Size(max = 32) @Pattern(regexp = "[0-9]+", message = "must be the digits the member's code shows")
            String memberCode,
            @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String redemptionId,
            @Positive @Max(1_000_000_000) Long points,
            @Size(max = 200) String reason,
            @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String rewardId)
            implements TillMembers.Named {
    }

    @PostMapping("/api/v1/redemptions")
    Mono<ResponseEntity<RedemptionController.RedemptionResponse>> redeem(
            @Valid @RequestBody TillRedemptionRequest request) {
        RedemptionController.RedemptionRequest redemption = new RedemptionController.RedemptionRequest(
                request.redemptionId(), request.points(), request.reason(), request.rewardId());
        RedemptionController.validate(redemption);
        return members.serve(request.identification(), "redemption:" + request.redemptionId(),
                memberId -> redemptions.redeem(memberId, redemption)
                        .map(answer -> ResponseEntity.status(answer.getStatusCode()).body(answer.getBody() == null
                                ? null : answer.getBody().withMemberId(memberId))));
    }
}
