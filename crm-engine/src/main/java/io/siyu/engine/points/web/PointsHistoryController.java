package io.siyu.engine.points.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siyu.api.points.FiredRule;
import io.siyu.api.points.LotTaken;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.member.history.MemberHistory;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every point movement of a member with its reason, newest first: the rule set version and the rules that fired
 * for earnings, the order and refund for reversals, the lots every spending, reversal and expiry took. Read from the
 * member's own event stream, so it is exactly what was decided: backwards from the newest (or {@code before}) a window
 * at a time, so a page costs the same however long the history. A page may hold fewer than {@code limit} movements
 * when a long stretch of the stream moved no points; {@code nextBefore} then still goes on.
 */
@RestController
@RequestMapping("/api/v1/members")
class PointsHistoryController {

    /** Events read per round trip, and at most per request. */
    private static final int WINDOW = 200;
    private static final int MAX_SCANNED = 2_000;

    private final MemberHistory history;

    PointsHistoryController(MemberHistory history) {
        this.history = history;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Movement(long sequence, Instant at, String kind, long points, long balanceAfter, String reason,
                    String source, String sourceId, Integer ruleSetVersion, List<FiredRule> rules,
                    List<LotTaken> lots, Instant expiresAt, Long debtRepaid, Long debtIncurred, String actor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HistoryPage(String memberId, List<Movement> movements, Long nextBefore) {
    }

    @GetMapping("/{memberId}/points/history")
    Mono<HistoryPage> history(@PathVariable String memberId,
                              @RequestParam(required = false) Long before,
                              @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 200) {
            throw new InvalidFieldException("limit", "must be between 1 and 200");
        }
        if (before != null && before < 0) {
            throw new InvalidFieldException("before", "must be a sequence number from nextBefore (0 or more)");
        }
        return MemberIdPath.check(memberId)
                .flatMap(id -> Mono.fromCallable(() -> page(id, before, limit))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    /**
     * Reads the stream backwards a window at a time until the page is full, the stream's start is reached or
     * {@value #MAX_SCANNED} events were read (then {@code nextBefore} says where to go on).
     */
    private HistoryPage page(String memberId, Long before, int limit) {
        List<Movement> movements = new ArrayList<>();
        Long cursor = before;
        int scanned = 0;
        boolean more = true;
        while (movements.size() <= limit && scanned < MAX_SCANNED) {
            List<DomainEventMessage<?>> window = history.window(memberId, cursor, WINDOW);
            if (window.isEmpty()) {
                if (scanned == 0 && !history.exists(memberId)) {
                    throw new UnknownMemberException(memberId);
                }
                more = false;
                break;
            }
            scanned += window.size();
            for (int i = window.size() - 1; i >= 0 && movements.size() <= limit; i--) {
                Movement movement = movement(window.get(i));
                if (movement != null) {
                    movements.add(movement);
                }
            }
            cursor = window.get(0).getSequenceNumber();
            if (cursor == 0) {
                more = false;
                break;
            }
        }
        if (movements.size() > limit) {
            movements = movements.subList(0, limit);
            return new HistoryPage(memberId, movements, movements.get(limit - 1).sequence());
        }
        return new HistoryPage(memberId, movements, more ? cursor : null);
    }

    private static Movement movement(DomainEventMessage<?> message) {
        long seq = message.getSequenceNumber();
        Instant at = message.getTimestamp();
        Object event = message.getPayload();
        if (event instanceof PointsEarned earned) {
            String what = switch (earned.source()) {
                case PURCHASE -> "order " + earned.sourceId();
                case CHECK_IN -> "check-in on " + earned.sourceId();
                default -> earned.source().name().toLowerCase() + " " + earned.sourceId();
            };
            return new Movement(seq, at, "earned", earned.points(), earned.balanceAfter(),
                    what + " under earning rules v" + earned.ruleSetVersion(), earned.source().name().toLowerCase(),
                    earned.sourceId(), earned.ruleSetVersion(), earned.rules(), List.of(), earned.expiresAt(),
                    earned.debtRepaid() == 0 ? null : earned.debtRepaid(), null, null);
        }
        if (event instanceof PointsReversed reversed) {
            return new Movement(seq, at, "reversed", -reversed.points(), reversed.balanceAfter(),
                    "refund " + reversed.refundId() + " of order " + reversed.orderId()
                            + (reversed.debtIncurred() > 0 ? ": " + reversed.debtIncurred()
                            + " points had already been spent and are owed" : ""),
                    "refund", reversed.refundId(), null, List.of(), reversed.lots(), null, null,
                    reversed.debtIncurred() == 0 ? null : reversed.debtIncurred(), null);
        }
        if (event instanceof PointsRedeemed redeemed) {
            return new Movement(seq, at, "redeemed", -redeemed.points(), redeemed.balanceAfter(), redeemed.reason(),
                    "redemption", redeemed.redemptionId(), null, List.of(), redeemed.lots(), null, null, null, null);
        }
        if (event instanceof PointsExpired expired) {
            return new Movement(seq, at, "expired", -expired.points(), expired.balanceAfter(),
                    "points earned long ago reached their expiry at " + expired.expiredAt(), "expiry", null, null,
                    List.of(), expired.lots(), expired.expiredAt(), null, null, null);
        }
        if (event instanceof PointsAdjusted adjusted) {
            return new Movement(seq, at, "adjusted", adjusted.points(), adjusted.balanceAfter(), adjusted.reason(),
                    "adjustment", adjusted.adjustmentId(), null, List.of(), adjusted.lots(), adjusted.expiresAt(),
                    adjusted.debtRepaid() == 0 ? null : adjusted.debtRepaid(), null, adjusted.actor());
        }
        return null;
    }
}
