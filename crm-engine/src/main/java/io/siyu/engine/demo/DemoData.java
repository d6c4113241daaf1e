package io.siyu.engine.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siyu.api.checkin.CheckIn;
import io.siyu.api.checkin.CheckInResult;
import io.siyu.api.member.ChangeConsent;
import io.siyu.api.member.RegisterMember;
import io.siyu.api.points.RedeemPoints;
import io.siyu.api.points.RedemptionResult;
import io.siyu.api.purchase.PurchaseResult;
import io.siyu.api.purchase.RecordPurchase;
import io.siyu.api.purchase.RefundPurchase;
import io.siyu.api.purchase.RefundResult;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.reward.DefineReward;
import io.siyu.api.reward.HoldRewardRedemption;
import io.siyu.api.segment.DefineSegment;
import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComGroupLeft;
import io.siyu.api.wecom.RecordWeComTags;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.schedule.DueWork;
import io.siyu.engine.web.CommandDispatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A year of a loyalty programme, made through the engine's own command path (the commands the API sends, decided by
 * the aggregates, recorded as events, projected and scheduled like any other) while {@link DemoClock} walks the year
 * forward: each business day in three moments (morning, lunch, evening), then the day's due work (point expiry, tier
 * reviews). Seeded: the same seed makes the same activity.
 * <ul>
 *     <li>registrations over the year, more around 618, 11.11 and before Chinese New Year, by channel and store;</li>
 *     <li>check-in habits (daily, now and then, rarely) that make and break streaks;</li>
 *     <li>purchases with the season's peaks, a few refunded in part or whole days later;</li>
 *     <li>redemptions by members with points to spend, of points at the till or of a coffee from the catalogue
 *     (paid by the reward saga like any other); tier moves follow from spend;</li>
 *     <li>marketing consent for most; WeCom contacts after a first purchase through two contact-way campaigns
 *     ({@code store-qr} at the tills, {@code poster-618} in June) or none, tags, customer group joins and a few
 *     leaves;</li>
 *     <li>a reward catalogue and two saved segments, defined on the first day.</li>
 * </ul>
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String STORE_QR = "store-qr";
    static final String POSTER_618 = "poster-618";
    private static final String[] STAFF = {"zhangwei", "lina", "wangfang"};
    private static final String[] GROUPS = {"wrDemoVipClub", "wrDemoShanghaiFans", "wrDemoNewcomers"};
    private static final String[] STORES = {"SH-001", "SH-002", "BJ-001", "GZ-001"};
    private static final String[] NICKNAMES = {"小王", "阿琳", "Momo", "大橙子", "Kiki", "晓峰", "Cici", "老陈"};
    private static final LocalTime[] MOMENTS = {LocalTime.of(8, 30), LocalTime.of(12, 40), LocalTime.of(20, 15)};
    /** Chinese New Year's day, for the shopping before it. */
    private static final Map<Integer, LocalDate> NEW_YEAR = Map.of(2024, LocalDate.of(2024, 2, 10),
            2025, LocalDate.of(2025, 1, 29), 2026, LocalDate.of(2026, 2, 17), 2027, LocalDate.of(2027, 2, 6),
            2028, LocalDate.of(2028, 1, 26), 2029, LocalDate.of(2029, 2, 13), 2030, LocalDate.of(2030, 2, 3));

    /** Where the demo stands, for the log and {@code GET /api/v1/admin/demo}. */
    public record Status(String state, int members, long seed, LocalDate from, LocalDate to, LocalDate day,
                         int progressPercent, int registered, long commands, long refused, Instant startedAt,
                         Instant finishedAt, String note) {
    }

    private final DemoProperties properties;
    private final DemoClock clock;
    private final CommandDispatch dispatch;
    private final MemberIdentities identities;
    private final DueWork dueWork;
    private final ZoneId zone;
    private final boolean storeWasEmpty;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicReference<Status> status;

    DemoData(DemoProperties properties, DemoClock clock, CommandDispatch dispatch, MemberIdentities identities,
             DueWork dueWork, ZoneId zone, boolean storeWasEmpty) {
        this.properties = properties;
        this.clock = clock;
        this.dispatch = dispatch;
        this.identities = identities;
        this.dueWork = dueWork;
        this.zone = zone;
        this.storeWasEmpty = storeWasEmpty;
        this.status = new AtomicReference<>(new Status("waiting", properties.members(), properties.seed(), null, null,
                null, 0, 0, 0, 0, null, null, null));
    }

    public Status status() {
        return status.get();
    }

    /** Makes the demo year (on an empty store only), then hands the engine the wall clock. */
    void run() {
        if (!storeWasEmpty) {
            clock.catchUp();
            status.set(new Status("skipped", properties.members(), properties.seed(), null, null, null, 0, 0, 0, 0,
                    null, null, "the store already holds events: demo data is only made on an empty store"));
            log.warn("demo: the store already holds events; no demo data made (start on an empty data directory)");
            return;
        }
        Instant started = clock.wall();
        LocalDate today = LocalDate.ofInstant(started, zone);
        LocalDate first = today.minusDays(properties.days() - 1L);
        try {
            Year year = new Year(first, today);
            log.info("demo: {} members over {} business days from {} (seed {})", properties.members(),
                    properties.days(), first, properties.seed());
            int lastShown = -1;
            for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
                List<List<Step>> moments = year.day(day);
                for (int moment = 0; moment < MOMENTS.length; moment++) {
                    Instant at = day.atTime(MOMENTS[moment]).atZone(zone).toInstant();
                    if (at.isAfter(clock.wall())) {
                        break;
                    }
                    clock.advanceTo(at);
                    runAll(moments.get(moment));
                }
                dueWork.runDue();
                int percent = (int) (100 * (ChronoUnit.DAYS.between(first, day) + 1) / properties.days());
                status.set(new Status("running", properties.members(), properties.seed(), first, today, day, percent,
                        year.registered, commands.get(), refused.get(), started, null, null));
                if (percent / 5 != lastShown / 5) {
                    lastShown = percent;
                    log.info("demo [{}{}] {}% {} · {} members · {} commands", "#".repeat(percent / 5),
                            ".".repeat(20 - percent / 5), percent, day, year.registered, commands.get());
                }
            }
            clock.catchUp();
            dueWork.runDue();
            status.set(new Status("done", properties.members(), properties.seed(), first, today, today, 100,
                    year.registered, commands.get(), refused.get(), started, clock.wall(), null));
            log.info("demo: ready — {} members, {} commands ({} refused by the rules) in {} s", year.registered,
                    commands.get(), refused.get(), Duration.between(started, clock.wall()).toSeconds());
        } catch (RuntimeException failed) {
            clock.catchUp();
            status.set(new Status("failed", properties.members(), properties.seed(), first, today, null, 0, 0,
                    commands.get(), refused.get(), started, clock.wall(), failed.getClass().getSimpleName()));
            log.error("demo: failed after {} commands", commands.get(), failed);
        }
    }

    /** One member's commands of a moment, in order; different members' run side by side. */
    private record Step(DemoMember member, List<Supplier<Mono<?>>> commands) {
    }

    private void runAll(List<Step> steps) {
        Flux.fromIterable(steps)
                .flatMap(step -> Flux.fromIterable(step.commands()).concatMap(command -> command.get()
                        .doOnSuccess(done -> commands.incrementAndGet())
                        .onErrorResume(io.siyu.engine.refusal.Refusal.class, refusal -> {
                            refused.incrementAndGet();
                            return Mono.empty();
                        })), properties.concurrency())
                .blockLast(Duration.ofMinutes(10));
    }

    /** A demo member: who they are and the habits the year plays out. */
    private static final class DemoMember {
        final int number;
        final LocalDate registersOn;
        final SalesChannel channel;
        final String store;
        final double checkInChance;
        final double buyChance;
        final double spendScale;
        final boolean consents;
        final LocalDate dormantFrom;
        String memberId;
        long balance;
        int orders;
        int redemptions;
        LocalDate contactOn;
        LocalDate groupOn;
        LocalDate leavesOn;
        String chatId;
        String staff;
        final Map<LocalDate, List<long[]>> refundsDue = new TreeMap<>();

        DemoMember(int number, LocalDate registersOn, SplittableRandom random) {
            this.number = number;
            this.registersOn = registersOn;
            double channelDraw = random.nextDouble();
            this.channel = channelDraw < 0.55 ? SalesChannel.MINI_PROGRAM : channelDraw < 0.8 ? SalesChannel.POS
                    : channelDraw < 0.9 ? SalesChannel.TMALL : SalesChannel.DOUYIN;
            this.store = channel == SalesChannel.POS || random.nextDouble() < 0.3
                    ? STORES[random.nextInt(STORES.length)] : null;
            double habit = random.nextDouble();
            this.checkInChance = habit < 0.15 ? 0.75 : habit < 0.4 ? 0.12 : 0.01;
            double buyer = random.nextDouble();
            boolean vip = buyer < 0.08;
            this.buyChance = vip ? 1.0 / (6 + random.nextInt(6)) : buyer < 0.7 ? 1.0 / (25 + random.nextInt(90)) : 0;
            this.spendScale = Math.exp(random.nextGaussian() * 0.6) * (vip ? 4 : 1);
            this.consents = random.nextDouble() < 0.7;
            // most members drift away after a while: then they come back a sixth as often
            this.dormantFrom = registersOn.plusDays((long) (-150 * Math.log(1 - random.nextDouble())));
        }
    }

    /** The year's plan, day by day, drawn from one seeded random source in day order. */
    private final class Year {
        private final SplittableRandom random;
        private final List<DemoMember> members = new ArrayList<>();
        private final Map<LocalDate, List<DemoMember>> registering = new TreeMap<>();
        private final LocalDate first;
        int registered;

        Year(LocalDate first, LocalDate last) {
            this.first = first;
            this.random = new SplittableRandom(properties.seed());
            int days = (int) ChronoUnit.DAYS.between(first, last) + 1;
            double[] cumulative = new double[days];
            double total = 0;
            for (int d = 0; d < days; d++) {
                LocalDate day = first.plusDays(d);
                total += (1.0 + 1.5 * d / days) * season(day);
                cumulative[d] = total;
            }
            for (int n = 0; n < properties.members(); n++) {
                int index = Arrays.binarySearch(cumulative, random.nextDouble() * total);
                LocalDate day = first.plusDays(index >= 0 ? index : Math.min(days - 1, -index - 1));
                DemoMember member = new DemoMember(n, day, random);
                members.add(member);
                registering.computeIfAbsent(day, key -> new ArrayList<>()).add(member);
            }
        }

        /** @return the day's steps per moment (morning, lunch, evening) */
        List<List<Step>> day(LocalDate day) {
            List<List<Step>> moments = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (DemoMember member : registering.getOrDefault(day, List.of())) {
                int moment = 1 + random.nextInt(2);
                moments.get(moment).add(new Step(member, List.of(() -> register(member))));
                registered++;
            }
            double season = season(day);
            for (DemoMember member : members) {
                if (!member.registersOn.isBefore(day)) {
                    continue;
                }
                List<Supplier<Mono<?>>> morning = new ArrayList<>();
                List<Supplier<Mono<?>>> lunch = new ArrayList<>();
                List<Supplier<Mono<?>>> evening = new ArrayList<>();
                double drive = day.isBefore(member.dormantFrom) ? 1 : 1 / 6.0;
                if (random.nextDouble() < member.checkInChance * drive) {
                    (random.nextBoolean() ? morning : evening).add(() -> checkIn(member));
                }
                if (random.nextDouble() < member.buyChance * season * drive) {
                    long amountFen = Math.max(990, Math.round(15_000 * member.spendScale
                            * Math.exp(random.nextGaussian() * 0.5) / 10) * 10);
                    int order = ++member.orders;
                    if (random.nextDouble() < 0.06) {
                        long refundFen = random.nextBoolean() ? amountFen : amountFen / 2;
                        member.refundsDue.computeIfAbsent(day.plusDays(1 + random.nextInt(10)),
                                key -> new ArrayList<>()).add(new long[]{order, refundFen});
                    }
                    (random.nextBoolean() ? lunch : evening).add(() -> purchase(member, order, amountFen));
                    if (order == 1 && member.contactOn == null && random.nextDouble() < 0.45) {
                        member.contactOn = day.plusDays(random.nextInt(4));
                    }
                }
                List<long[]> refunds = member.refundsDue.remove(day);
                if (refunds != null) {
                    refunds.forEach(refund -> lunch.add(() -> refund(member, (int) refund[0], refund[1])));
                }
                if (member.balance >= 300 && random.nextDouble() < 0.03) {
                    int redemption = ++member.redemptions;
                    if (random.nextDouble() < 0.35) {
                        // a coffee from the catalogue: the member holds the points, the saga takes a unit and pays
                        member.balance -= 100;
                        evening.add(() -> redeemCoffee(member, redemption));
                    } else {
                        long points = Math.min(member.balance, 100L * (1 + random.nextInt(8)));
                        evening.add(() -> redeem(member, redemption, points));
                    }
                }
                if (day.equals(member.contactOn)) {
                    member.staff = STAFF[random.nextInt(STAFF.length)];
                    String state = member.channel == SalesChannel.POS ? STORE_QR
                            : day.getMonthValue() == 6 && day.getDayOfMonth() <= 18 ? POSTER_618
                            : random.nextDouble() < 0.5 ? STORE_QR : null;
                    boolean vip = member.spendScale > 1.5;
                    evening.add(() -> contact(member, state, vip));
                    if (random.nextDouble() < 0.55) {
                        member.groupOn = day.plusDays(1 + random.nextInt(14));
                        member.chatId = GROUPS[random.nextInt(GROUPS.length)];
                        if (random.nextDouble() < 0.12) {
                            member.leavesOn = member.groupOn.plusDays(7 + random.nextInt(60));
                        }
                    }
                }
                if (day.equals(member.groupOn)) {
                    evening.add(() -> join(member));
                }
                if (day.equals(member.leavesOn)) {
                    lunch.add(() -> leave(member));
                }
                if (!morning.isEmpty()) {
                    moments.get(0).add(new Step(member, morning));
                }
                if (!lunch.isEmpty()) {
                    moments.get(1).add(new Step(member, lunch));
                }
                if (!evening.isEmpty()) {
                    moments.get(2).add(new Step(member, evening));
                }
            }
            if (day.equals(first)) {
                moments.get(0).add(0, new Step(null, catalogue()));
            }
            return moments;
        }
    }

    /** How busy a day is: 11.11, 618 and the weeks before Chinese New Year are the peaks; the festival is quiet. */
    static double season(LocalDate day) {
        MonthDay date = MonthDay.from(day);
        double factor = 1.0;
        if (!date.isBefore(MonthDay.of(11, 1)) && !date.isAfter(MonthDay.of(11, 11))) {
            factor = date.equals(MonthDay.of(11, 11)) ? 8 : 3;
        } else if (!date.isBefore(MonthDay.of(6, 1)) && !date.isAfter(MonthDay.of(6, 18))) {
            factor = date.equals(MonthDay.of(6, 18)) ? 6 : 2.2;
        }
        for (int year = day.getYear(); year <= day.getYear() + 1; year++) {
            LocalDate newYear = NEW_YEAR.get(year);
            if (newYear != null) {
                long before = ChronoUnit.DAYS.between(day, newYear);
                if (before > 0 && before <= 21) {
                    factor = Math.max(factor, 2.5);
                } else if (before <= 0 && before > -7) {
                    factor = 0.4;
                }
            }
        }
        return factor;
    }

    private List<Supplier<Mono<?>>> catalogue() {
        return List.of(
                () -> dispatch.send(new DefineReward("coffee", "Free coffee 免费咖啡", 100, 2_000, 5, 30)),
                () -> dispatch.send(new DefineReward("tote-bag", "Canvas tote 帆布袋", 600, 300, 1, 60)),
                () -> dispatch.send(new DefineReward("birthday-cake", "Birthday cake 生日蛋糕", 1_500, 50, 1, 30)),
                () -> dispatch.send(new DefineSegment("gold-and-up", "Gold and Black 金卡及以上",
                        "{\"tier\":{\"in\":[\"gold\",\"black\"]}}", "demo")),
                () -> dispatch.send(new DefineSegment("buyers-outside-groups", "Buyers outside groups 群外买家",
                        "{\"and\":[{\"funnelStage\":{\"reached\":\"first_purchase\"}},"
                                + "{\"not\":{\"inWeComGroup\":{}}}]}", "demo")));
    }

    private Mono<?> register(DemoMember member) {
        String openid = String.format("oDemo%06d%s", member.number, Long.toHexString(properties.seed()));
        return identities.claim(openid).flatMap(memberId -> {
            member.memberId = memberId;
            return dispatch.send(new RegisterMember(memberId, openid, null, null, null,
                    NICKNAMES[member.number % NICKNAMES.length], member.channel, member.store));
        }).then(Mono.defer(() -> member.consents
                ? dispatch.send(new ChangeConsent(member.memberId, "demo-consent-" + member.number, "marketing",
                true, "mini_program", "2026-01")) : Mono.empty()));
    }

    private Mono<?> checkIn(DemoMember member) {
        return dispatch.<CheckInResult>send(new CheckIn(member.memberId, clock.instant()))
                .doOnNext(result -> member.balance = result.balance());
    }

    private Mono<?> purchase(DemoMember member, int order, long amountFen) {
        return dispatch.<PurchaseResult>send(new RecordPurchase(member.memberId, orderId(member, order), amountFen,
                        member.store != null ? member.store : "online-" + member.channel.code(), member.channel,
                        clock.instant(), List.of()))
                .doOnNext(result -> member.balance = result.balance());
    }

    private Mono<?> refund(DemoMember member, int order, long amountFen) {
        return dispatch.<RefundResult>send(new RefundPurchase(member.memberId, orderId(member, order),
                        "F-" + orderId(member, order), amountFen))
                .doOnNext(result -> member.balance = result.balance());
    }

    private Mono<?> redeem(DemoMember member, int redemption, long points) {
        return dispatch.<RedemptionResult>send(new RedeemPoints(member.memberId,
                        "DR-" + member.number + "-" + redemption, points, "Voucher at the till 门店抵扣"))
                .doOnNext(result -> member.balance = result.balance());
    }

    private Mono<?> redeemCoffee(DemoMember member, int redemption) {
        String redemptionId = "DC-" + member.number + "-" + redemption;
        return dispatch.send(new HoldRewardRedemption(member.memberId, redemptionId, "coffee", "Free coffee 免费咖啡",
                100, 5, "CP-" + redemptionId));
    }

    private Mono<?> contact(DemoMember member, String state, boolean vip) {
        String externalUserId = externalUserId(member);
        Instant at = clock.instant();
        return dispatch.send(new RecordWeComContactAdded(member.memberId, "demo-contact-" + member.number,
                        member.staff, externalUserId, state, at))
                .then(dispatch.send(new RecordWeComTags(member.memberId, "demo-tags-" + member.number, member.staff,
                        vip ? List.of("VIP", "高价值") : List.of("新客"), at)));
    }

    private Mono<?> join(DemoMember member) {
        return dispatch.send(new RecordWeComGroupJoined(member.memberId, "demo-join-" + member.number,
                member.chatId, 3, null, null, clock.instant(), null));
    }

    private Mono<?> leave(DemoMember member) {
        return dispatch.send(new RecordWeComGroupLeft(member.memberId, "demo-leave-" + member.number,
                member.chatId, 0, null, clock.instant(), null));
    }

    private static String orderId(DemoMember member, int order) {
        return "D-" + member.number + "-" + order;
    }

    /** A WeCom external user id's shape ({@code wm} and 30 characters), the same for a member each run. */
    static String externalUserId(DemoMember member) {
        return String.format("wmDemo%024d", member.number);
    }
}
