package io.siyu.engine.purchase.web;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.purchase.PurchaseLine;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.web.ApiProperties;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
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

/** Purchases and refunds, sent by the brand's order system (or the Mini Program's backend). */
@RestController
@RequestMapping("/api/v1/members/{memberId}")
class PurchaseController {

    /** 100 million yuan: far above any real order, far below where points arithmetic could overflow. */
    static final long MAX_AMOUNT_FEN = 10_000_000_000L;
    /** Before WeChat Mini Programs existed: an earlier sale is a wrong date, not a sale to earn points on. */
    static final java.time.Instant EARLIEST_SALE = java.time.Instant.parse("2000-01-01T00:00:00Z");

    private final MemberWrites writes;
    private final Clock clock;
    private final ApiProperties api;

    PurchaseController(MemberWrites writes, Clock clock, ApiProperties api) {
        this.writes = writes;
        this.clock = clock;
        this.api = api;
    }

    record PurchaseRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
            @NotNull @Positive @Max(MAX_AMOUNT_FEN) Long amountFen,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String storeId,
            @NotBlank @Size(max = 32) String channel,
            @NotNull OffsetDateTime occurredAt,
            @Size(max = 200) List<@NotNull @Valid Line> lines) {
    }

    record Line(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String sku,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String category,
            @NotNull @Positive @Max(MAX_AMOUNT_FEN) Long amountFen) {
    }

    record PurchaseResponse(long pointsEarned, long balance, boolean duplicate) {
    }

    record RefundRequest(
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
            @NotBlank @Size(max = Ids.MAX_LENGTH) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String refundId,
            @NotNull @Positive @Max(MAX_AMOUNT_FEN) Long amountFen) {
    }

    record RefundResponse(long pointsReversed, long debtIncurred, long balance, boolean duplicate) {
    }

    @PostMapping("/purchases")
    Mono<PurchaseResponse> purchase(@PathVariable String memberId, @Valid @RequestBody PurchaseRequest request) {
        SalesChannel channel = validate(request);
        List<PurchaseLine> lines = lines(request);
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<PurchaseResult>send(id, new RecordPurchase(id, request.orderId(),
                        request.amountFen(), request.storeId(), channel, request.occurredAt().toInstant(), lines)))
                .map(result -> new PurchaseResponse(result.pointsEarned(), result.balance(), result.duplicate()));
    }

    /** @return the request's channel; an {@link InvalidFieldException} naming what is wrong with the request */
    SalesChannel validate(PurchaseRequest request) {
        SalesChannel channel = SalesChannel.fromCode(request.channel()).orElseThrow(() ->
                new InvalidFieldException("channel", "must be one of " + SalesChannel.codes()));
        if (request.occurredAt().toInstant().isAfter(clock.instant().plus(api.maxClockSkew()))) {
            throw new InvalidFieldException("occurredAt", "lies in the future");
        }
        if (request.occurredAt().toInstant().isBefore(EARLIEST_SALE)) {
            throw new InvalidFieldException("occurredAt", "lies before " + EARLIEST_SALE + ": not a sale we can count");
        }
        List<PurchaseLine> lines = lines(request);
        long linesTotal = lines.stream().mapToLong(PurchaseLine::amountFen).sum();
        if (!lines.isEmpty() && linesTotal != request.amountFen()) {
            throw new InvalidFieldException("lines", "add up to " + linesTotal + " fen, not the order's amountFen "
                    + request.amountFen());
        }
        return channel;
    }

    private static List<PurchaseLine> lines(PurchaseRequest request) {
        return request.lines() == null ? List.of() : request.lines().stream()
                .map(line -> new PurchaseLine(line.sku(), line.category(), line.amountFen())).toList();
    }

    @PostMapping("/refunds")
    Mono<RefundResponse> refund(@PathVariable String memberId, @Valid @RequestBody RefundRequest request) {
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<RefundResult>send(id, new RefundPurchase(id, request.orderId(),
                        request.refundId(), request.amountFen())))
                .map(result -> new RefundResponse(result.pointsReversed(), result.debtIncurred(), result.balance(),
                        result.duplicate()));
    }
}
