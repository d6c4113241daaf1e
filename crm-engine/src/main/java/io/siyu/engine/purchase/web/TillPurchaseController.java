package io.siyu.engine.purchase.web;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.access.TillMembers;
import io.siyu.engine.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * A purchase from a till or an order system that names its member by exactly one of {@code memberId},
 * {@code openid}, {@code unionid} or {@code memberCode} (the code the member's widget shows):
 * {@code POST /api/v1/purchases {"memberCode","orderId","amountFen","storeId","channel","occurredAt","lines"?}}
 * answers as {@code POST /members/{id}/purchases} does, plus the {@code memberId}. A member code serves this order
 * only: a retry of the same {@code orderId} with it resolves again, any other use is refused. Refunds name their
 * member the same way ({@code POST /api/v1/refunds}).
 */
@RestController
class TillPurchaseController {

    private final TillMembers members;
    private final PurchaseController purchases;

    TillPurchaseController(TillMembers members, PurchaseController purchases) {
        this.members = members;
        this.purchases = purchases;
    }

    record TillPurchaseRequest(
            @Size(max = 64) String memberId,
            @Size(max = 128) String openid,
            @Size(max = 128) String unionid,
            @Size(max = 32) @Pattern(regexp = "[0-9]+", message = "must be the digits the member's code shows")
            String memberCode,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
            @NotNull @Positive @Max(PurchaseController.MAX_AMOUNT_FEN) Long amountFen,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String storeId,
            @NotBlank @Size(max = 32) String channel,
            @NotNull OffsetDateTime occurredAt,
            @Size(max = 200) List<PurchaseController.@NotNull @Valid Line> lines) implements TillMembers.Named {
    }

    record TillPurchaseResponse(String memberId, long pointsEarned, long balance, boolean duplicate) {
    }

    record TillRefundRequest(
            @Size(max = 64) String memberId,
            @Size(max = 128) String openid,
            @Size(max = 128) String unionid,
            @Size(max = 32) @Pattern(regexp = "[0-9]+", message = "must be the digits the member's code shows")
            String memberCode,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String refundId,
            @NotNull @Positive @Max(PurchaseController.MAX_AMOUNT_FEN) Long amountFen) implements TillMembers.Named {
    }

    record TillRefundResponse(String memberId, long pointsReversed, long debtIncurred, long balance,
                              boolean duplicate) {
    }

    /**
     * {@code POST /api/v1/refunds {"openid" (or memberId, unionid, memberCode),"orderId","refundId","amountFen"}}:
     * a refund from an order system that names its member as purchases do; answers as
     * {@code POST /members/{id}/refunds} does, plus the {@code memberId}.
     */
    @PostMapping("/api/v1/refunds")
    Mono<TillRefundResponse> refund(@Valid @RequestBody TillRefundRequest request) {
        return members.serve(request.identification(), "refund:" + request.refundId(),
                memberId -> purchases.refund(memberId, new PurchaseController.RefundRequest(
                                request.orderId(), request.refundId(), request.amountFen()))
                        .map(answer -> new TillRefundResponse(memberId, answer.pointsReversed(),
                                answer.debtIncurred(), answer.balance(), answer.duplicate())));
    }

    @PostMapping("/api/v1/purchases")
    Mono<TillPurchaseResponse> purchase(@Valid @RequestBody TillPurchaseRequest request) {
        PurchaseController.PurchaseRequest purchase = new PurchaseController.PurchaseRequest(request.orderId(),
                request.amountFen(), request.storeId(), request.channel(), request.occurredAt(), request.lines());
        purchases.validate(purchase);
        return members.serve(request.identification(), "purchase:" + request.orderId(),
                memberId -> purchases.purchase(memberId, purchase)
                        .map(answer -> new TillPurchaseResponse(memberId, answer.pointsEarned(), answer.balance(),
                                answer.duplicate())));
    }
}
