package io.siyu.engine.checkin.web;

import io.siyu.engine.access.RateLimits;
import java.time.Clock;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import reactor.core.publisher.Mono;

/**
 * The daily check-in button. The server's clock decides the day: a client cannot check in for another day. A second
 * tap the same day writes nothing and answers {@code pointsEarned} 0, with today's earlier result in {@code today}.
 */
@RestController
@RequestMapping("/api/v1/members")
class CheckInController {

    private final MemberWrites writes;
    private final Clock clock;
    private final RateLimits limits;

    CheckInController(MemberWrites writes, Clock clock, RateLimits limits) {
        this.writes = writes;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * @param pointsEarned what this call earned: 0 when the member had already checked in today
     * @param today        today's check-in, whichever call made it: its streak and the points it earned
     */
    record CheckInResponse(int streak, long pointsEarned, boolean alreadyCheckedIn, long balance, Today today) {
    }

    /** The business day's check-in (Asia/Shanghai unless configured). */
    record Today(int streak, long pointsEarned) {
    }

    @PostMapping("/{memberId}/check-ins")
    Mono<CheckInResponse> checkIn(@PathVariable String memberId) {
        limits.checkIn(memberId);
        return MemberIdPath.check(memberId)
                .flatMap(id -> writes.<CheckInResult>send(id, new CheckIn(id, clock.instant())))
                .map(result -> new CheckInResponse(result.streak(),
                        result.alreadyCheckedIn() ? 0 : result.pointsEarned(), result.alreadyCheckedIn(),
                        result.balance(), new Today(result.streak(), result.pointsEarned())));
    }
}
