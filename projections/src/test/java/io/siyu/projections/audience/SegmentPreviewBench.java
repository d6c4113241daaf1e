package io.siyu.projections.audience;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.bson.Document;

import io.siyu.api.purchase.SalesChannel;
import io.siyu.projections.funnel.PrivateDomainFunnel;

/**
 * How fast segment previews and the funnel answer over a synthetic population (default 1,000,000 members), against a
 * baseline measured in the same run: the same question answered by a plain loop over one Java object per member (the
 * obvious in-memory implementation). HdrHistogram, 2 warm-up and 30 measured runs per question.
 * <p>
 * {@code ./mvnw -B -q install -DskipTests && ./mvnw -B -q -pl projections exec:java@bench-segments
 * [-Dbench.members=1000000]}
 */
public final class SegmentPreviewBench {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String[] TIERS = {"member", "silver", "gold", "black"};
    private static final int WARMUP = 2;
    private static final int RUNS = 30;

    /** One member as a row, for the baseline. */
    record Row(String tier, long balance, int[] orderMinutes, long[] orderFen, boolean inGroup, boolean contact,
               SalesChannel channel, String store, int firstPurchaseMinute, int registeredDay, int[] stages) {
    }

    public static void main(String[] args) {
        int members = Integer.getInteger("bench.members", 1_000_000);
        Instant now = Instant.parse("2026-11-26T04:00:00Z");
        MemberIndex index = new MemberIndex(SHANGHAI, "member");
        List<Row> rows = new ArrayList<>(members);
        long loading = System.nanoTime();
        populate(index, rows, members, now);
        System.out.printf(Locale.ROOT, "%,d members indexed in %,d ms; heap used %,d MiB%n", members,
                (System.nanoTime() - loading) / 1_000_000,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);

        int since90 = MemberIndex.minute(now.minus(Duration.ofDays(90)));
        int nowMinute = MemberIndex.minute(now);
        Criterion tierIn = new Criterion.TierIn(Set.of("gold", "black"));
        Criterion threeWay = new Criterion.And(List.of(
                new Criterion.TierIn(Set.of("silver", "gold")),
                new Criterion.PointsBalance(500L, 5_000L),
                new Criterion.SpendInLastDays(90, 50_000L, null)));
        Criterion mixed = new Criterion.Or(List.of(
                new Criterion.And(List.of(new Criterion.FunnelStageReached(FunnelStage.FIRST_PURCHASE),
                        new Criterion.Not(new Criterion.InWeComGroup(null)))),
                new Criterion.And(List.of(new Criterion.RegistrationChannel(Set.of(SalesChannel.POS)),
                        new Criterion.DaysSinceLastPurchase(30, null)))));

        System.out.println("question | ours p50 ms | p99 ms | baseline p50 ms | p99 ms | speed-up (p50) | count");
        measure("tier in (gold, black)", () -> index.select(tierIn, now).cardinality(),
                () -> (int) rows.stream().filter(r -> r.tier.equals("gold") || r.tier.equals("black")).count());
        measure("tier AND balance 500..5000 AND spend 90d >= ¥500", () -> index.select(threeWay, now).cardinality(),
                () -> {
                    int count = 0;
                    for (Row r : rows) {
                        if ((r.tier.equals("silver") || r.tier.equals("gold")) && r.balance >= 500
                                && r.balance <= 5_000 && spend(r, since90, nowMinute) >= 50_000) {
                            count++;
                        }
                    }
                    return count;
                });
        measure("(buyer AND NOT in group) OR (pos AND 30+ days since purchase)",
                () -> index.select(mixed, now).cardinality(), () -> {
                    int count = 0;
                    for (Row r : rows) {
                        boolean lapsed = r.orderMinutes.length > 0
                                && (nowMinute - r.orderMinutes[r.orderMinutes.length - 1]) / 1440 >= 30;
                        if ((r.firstPurchaseMinute != MemberIndex.NONE && !r.inGroup)
                                || (r.channel == SalesChannel.POS && lapsed)) {
                            count++;
                        }
                    }
                    return count;
                });
        PrivateDomainFunnel funnel = new PrivateDomainFunnel(index);
        LocalDate today = LocalDate.ofInstant(now, SHANGHAI);
        measure("funnel, 12 weekly cohorts (count = members registered in them)", () -> (int) funnel.report(today.minusWeeks(12),
                today, PrivateDomainFunnel.CohortBy.WEEK, MemberIndex.Cut.ALL, now).total().stages().get(0).members(), () -> {
                    // the same answer from rows: every member looked at, stage counts and median steps
                    long from = today.minusWeeks(12).toEpochDay();
                    int stages = FunnelStage.values().length;
                    int[] reached = new int[stages];
                    List<List<Integer>> steps = new ArrayList<>();
                    for (int s = 0; s < stages; s++) {
                        steps.add(new ArrayList<>());
                    }
                    for (Row r : rows) {
                        if (r.registeredDay < from || r.registeredDay > today.toEpochDay()) {
                            continue;
                        }
                        for (int s = 0; s < stages && r.stages[s] != MemberIndex.NONE; s++) {
                            reached[s]++;
                            if (s > 0) {
                                steps.get(s).add(r.stages[s] - r.stages[s - 1]);
                            }
                        }
                    }
                    steps.forEach(list -> list.sort(null));
                    return reached[0];
                });
    }

    private static long spend(Row row, int since, int until) {
        long spend = 0;
        for (int i = 0; i < row.orderMinutes.length; i++) {
            if (row.orderMinutes[i] >= since && row.orderMinutes[i] <= until) {
                spend += row.orderFen[i];
            }
        }
        return spend;
    }

    private static void measure(String question, Supplier<Integer> ours, Supplier<Integer> baseline) {
        Histogram oursMs = new Histogram(3);
        Histogram baseMs = new Histogram(3);
        int count = 0;
        int expected = 0;
        for (int run = 0; run < WARMUP + RUNS; run++) {
            long started = System.nanoTime();
            count = ours.get();
            long took = System.nanoTime() - started;
            started = System.nanoTime();
            expected = baseline.get();
            long baseTook = System.nanoTime() - started;
            if (run >= WARMUP) {
                oursMs.recordValue(took / 1_000);
                baseMs.recordValue(baseTook / 1_000);
            }
        }
        System.out.printf(Locale.ROOT, "%s | %.2f | %.2f | %.2f | %.2f | %.1fx | %,d%s%n", question,
                oursMs.getValueAtPercentile(50) / 1000.0, oursMs.getValueAtPercentile(99) / 1000.0,
                baseMs.getValueAtPercentile(50) / 1000.0, baseMs.getValueAtPercentile(99) / 1000.0,
                (double) baseMs.getValueAtPercentile(50) / Math.max(1, oursMs.getValueAtPercentile(50)), count,
                count == expected ? "" : " (baseline counted " + expected + ")");
    }

    /** Registrations over two years, 60% buyers, a quarter of them WeCom contacts, 60% of those in groups. */
    private static void populate(MemberIndex index, List<Row> rows, int members, Instant now) {
        Random random = new Random(1);
        List<Document> batch = new ArrayList<>(10_000);
        for (int m = 0; m < members; m++) {
            Instant registered = now.minus(Duration.ofMinutes(random.nextInt(2 * 365 * 24 * 60)));
            SalesChannel channel = random.nextInt(3) == 0 ? SalesChannel.POS : SalesChannel.MINI_PROGRAM;
            String store = "S-" + random.nextInt(200);
            String tier = TIERS[Math.min(3, (int) Math.abs(random.nextGaussian() * 1.2))];
            long balance = random.nextInt(10_000);
            int orders = random.nextInt(100) < 60 ? 1 + random.nextInt(6) : 0;
            List<Document> orderDocs = new ArrayList<>();
            long window = Duration.between(registered, now).toMinutes();
            List<Instant> times = new ArrayList<>();
            for (int o = 0; o < orders; o++) {
                times.add(registered.plus(Duration.ofMinutes((long) (random.nextDouble() * window))));
            }
            times.sort(null);
            int[] minutes = new int[orders];
            long[] fen = new long[orders];
            for (int o = 0; o < orders; o++) {
                fen[o] = 2_000 + random.nextInt(80_000);
                minutes[o] = MemberIndex.minute(times.get(o));
                orderDocs.add(new Document("orderId", "O-" + o).append("at", Date.from(times.get(o)))
                        .append("amountFen", fen[o]).append("refundedFen", 0L));
            }
            Document member = new Document("_id", "m-" + m).append("registeredAt", Date.from(registered))
                    .append("channel", channel.code()).append("storeId", store).append("tier", tier)
                    .append("balance", balance).append("orders", orderDocs);
            boolean contact = orders > 0 && random.nextInt(4) == 0;
            boolean group = contact && random.nextInt(10) < 6;
            if (contact) {
                Instant at = times.get(0).plus(Duration.ofHours(1));
                member.append("firstContactAt", Date.from(at)).append("contacts",
                        List.of(new Document("staffUserId", "staff-" + random.nextInt(50)).append("at", Date.from(at))));
            }
            if (group) {
                Instant at = times.get(0).plus(Duration.ofHours(2));
                member.append("firstGroupAt", Date.from(at)).append("groups",
                        List.of(new Document("chatId", "chat-" + random.nextInt(500)).append("at", Date.from(at))));
            }
            MemberFactsProjection.stages(member);
            Document reached = member.get("stages", Document.class);
            int[] stageMinutes = new int[FunnelStage.values().length];
            for (FunnelStage stage : FunnelStage.values()) {
                Date at = reached.getDate(stage.code());
                stageMinutes[stage.ordinal()] = at == null ? MemberIndex.NONE : MemberIndex.minute(at);
            }
            batch.add(member);
            rows.add(new Row(tier, balance, minutes, fen, group, contact, channel, store,
                    orders == 0 ? MemberIndex.NONE : minutes[0],
                    (int) LocalDate.ofInstant(registered, SHANGHAI).toEpochDay(), stageMinutes));
            if (batch.size() == 10_000) {
                index.apply(batch);
                batch = new ArrayList<>(10_000);
            }
        }
        index.apply(batch);
    }
}
