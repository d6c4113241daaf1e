package io.siyu.engine.overview.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.tier.config.TierProperties;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.points.PointsByWeek;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The programme at a glance for the marketers' console: members, monthly active members, the points the brand owes
 * and what they are worth, points moved per business week, members per tier. Figures, never people.
 */
@RestController
class OverviewController {

    static final int MAX_WEEKS = 156;

    private final MemberIndex index;
    private final PointsByWeek pointsByWeek;
    private final Clock clock;
    private final ZoneId zone;
    private final List<String> tierOrder;
    private final BigDecimal yuanPerPoint;
    private final int activeDays;

    OverviewController(MemberIndex index, PointsByWeek pointsByWeek, Clock clock, SystemProperties system,
                       TierProperties tiers,
                       @Value("${siyu.overview.yuan-per-point:0.01}") BigDecimal yuanPerPoint,
                       @Value("${siyu.overview.active-days:30}") int activeDays) {
        this.index = index;
        this.pointsByWeek = pointsByWeek;
        this.clock = clock;
        this.zone = system.businessZone();
        this.tierOrder = tiers.levels().stream().map(level -> level.code()).toList();
        this.yuanPerPoint = yuanPerPoint;
        this.activeDays = activeDays;
    }

    /**
     * @param members       every registered member
     * @param monthlyActive members with a check-in, a purchase or a redemption in the last {@code activeDays}
     *                      business days (today included)
     * @param points        the points on members' balances now ({@code outstanding}) and their value in fen at
     *                      {@code yuanPerPoint}
     * @param tiers         members per tier, lowest tier first
     * @param weeks         points earned, redeemed, reversed by refunds and expired per business week (Monday first),
     *                      oldest first
     */
    record Overview(Instant asOf, LocalDate today, long members, long monthlyActive, int activeDays, Points points,
                    List<TierCount> tiers, List<PointsByWeek.Week> weeks) {
    }

    record Points(long outstanding, long valueFen, BigDecimal yuanPerPoint) {
    }

    record TierCount(String tier, long members) {
    }

    /** {@code GET /api/v1/overview[?weeks=12]}: 400 naming {@code weeks} outside 1..156. */
    @GetMapping("/api/v1/overview")
    Mono<Overview> overview(@RequestParam(defaultValue = "12") int weeks) {
        if (weeks < 1 || weeks > MAX_WEEKS) {
            throw new InvalidFieldException("weeks", "must be between 1 and " + MAX_WEEKS);
        }
        return Mono.fromCallable(() -> {
            Instant now = clock.instant();
            LocalDate today = LocalDate.ofInstant(now, zone);
            MemberIndex.Overview figures = index.overview(today, activeDays);
            Map<String, Integer> perTier = new LinkedHashMap<>();
            tierOrder.forEach(tier -> perTier.put(tier, 0));
            perTier.putAll(figures.tiers());
            List<TierCount> tiers = new ArrayList<>();
            perTier.forEach((tier, count) -> tiers.add(new TierCount(tier, count)));
            long valueFen = yuanPerPoint.multiply(BigDecimal.valueOf(figures.outstanding()))
                    .multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.HALF_UP).longValueExact();
            return new Overview(now, today, figures.members(), figures.active(), activeDays,
                    new Points(figures.outstanding(), valueFen, yuanPerPoint), tiers,
                    pointsByWeek.weeks(today.minusWeeks(weeks - 1L), today));
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
