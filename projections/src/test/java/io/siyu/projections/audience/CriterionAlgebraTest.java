package io.siyu.projections.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import io.siyu.api.purchase.SalesChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Segment criteria over the member index obey boolean algebra, and a selection split across cores equals one pass. */
class CriterionAlgebraTest {

    private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");
    private static final MemberIndex INDEX = population(600, 3);

    @Property(tries = 200)
    void deMorganHolds(@ForAll("criteria") Criterion a, @ForAll("criteria") Criterion b) {
        assertThat(INDEX.select(new Criterion.Not(new Criterion.And(List.of(a, b))), NOW))
                .isEqualTo(INDEX.select(new Criterion.Or(List.of(new Criterion.Not(a), new Criterion.Not(b))), NOW));
        assertThat(INDEX.select(new Criterion.Not(new Criterion.Or(List.of(a, b))), NOW))
                .isEqualTo(INDEX.select(new Criterion.And(List.of(new Criterion.Not(a), new Criterion.Not(b))), NOW));
    }

    @Property(tries = 200)
    void andIsIntersectionAndOrIsUnion(@ForAll("criteria") Criterion a, @ForAll("criteria") Criterion b) {
        BitSet both = INDEX.select(a, NOW);
        both.and(INDEX.select(b, NOW));
        BitSet either = INDEX.select(a, NOW);
        either.or(INDEX.select(b, NOW));
        assertThat(INDEX.select(new Criterion.And(List.of(b, a)), NOW)).isEqualTo(both);
        assertThat(INDEX.select(new Criterion.Or(List.of(b, a)), NOW)).isEqualTo(either);
        assertThat(INDEX.select(new Criterion.Not(new Criterion.Not(a)), NOW)).isEqualTo(INDEX.select(a, NOW));
    }

    @Test
    void aSelectionSplitAcrossCoresEqualsOnePass() {
        MemberIndex large = population(150_000, 11);
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            Criterion criterion = leaf(random);
            Criterion combined = new Criterion.Or(List.of(new Criterion.And(List.of(criterion, leaf(random))),
                    new Criterion.Not(leaf(random))));
            assertThat(large.select(combined, NOW)).isEqualTo(combined.select(large, NOW, 0, large.size));
        }
    }

    @Provide
    Arbitrary<Criterion> criteria() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            return tree(random, 3);
        });
    }

    private static Criterion tree(Random random, int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            return leaf(random);
        }
        return switch (random.nextInt(3)) {
            case 0 -> new Criterion.And(List.of(tree(random, depth - 1), tree(random, depth - 1)));
            case 1 -> new Criterion.Or(List.of(tree(random, depth - 1), tree(random, depth - 1)));
            default -> new Criterion.Not(tree(random, depth - 1));
        };
    }

    private static Criterion leaf(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> new Criterion.TierIn(Set.of(random.nextBoolean() ? "gold" : "silver", "member"));
            case 1 -> new Criterion.PointsBalance((long) random.nextInt(500), (long) (500 + random.nextInt(500)));
            case 2 -> new Criterion.SpendInLastDays(1 + random.nextInt(200), (long) random.nextInt(50_000), null);
            case 3 -> new Criterion.PurchasesInLastDays(1 + random.nextInt(200), random.nextInt(3), null);
            case 4 -> new Criterion.DaysSinceLastPurchase(random.nextInt(100), null);
            case 5 -> new Criterion.InWeComGroup(random.nextBoolean() ? null : "chat-" + random.nextInt(3));
            case 6 -> new Criterion.HasWeComContact();
            case 7 -> new Criterion.RegistrationChannel(Set.of(SalesChannel.POS));
            default -> new Criterion.FunnelStageReached(FunnelStage.values()[random.nextInt(6)]);
        };
    }

    static MemberIndex population(int members, long seed) {
        Random random = new Random(seed);
        MemberIndex index = new MemberIndex(ZoneId.of("Asia/Shanghai"), "member");
        List<Document> batch = new ArrayList<>();
        String[] tiers = {"member", "silver", "gold"};
        for (int m = 0; m < members; m++) {
            Instant registered = NOW.minus(Duration.ofMinutes(random.nextInt(400 * 24 * 60)));
            List<Document> orders = new ArrayList<>();
            int count = random.nextInt(4);
            List<Instant> times = new ArrayList<>();
            for (int o = 0; o < count; o++) {
                times.add(registered.plus(Duration.ofMinutes(random.nextInt(
                        (int) Duration.between(registered, NOW).toMinutes() + 1))));
            }
            times.sort(null);
            for (int o = 0; o < count; o++) {
                orders.add(new Document("orderId", "O-" + o).append("at", Date.from(times.get(o)))
                        .append("amountFen", (long) random.nextInt(60_000)).append("refundedFen", 0L));
            }
            Document member = new Document("_id", "m-" + m).append("registeredAt", Date.from(registered))
                    .append("channel", random.nextInt(3) == 0 ? "pos" : "mini_program")
                    .append("tier", tiers[random.nextInt(3)]).append("balance", (long) random.nextInt(1_000))
                    .append("orders", orders);
            if (random.nextBoolean()) {
                member.append("firstContactAt", Date.from(registered)).append("contacts",
                        List.of(new Document("staffUserId", "s-1")));
                if (random.nextBoolean()) {
                    member.append("firstGroupAt", Date.from(registered)).append("groups",
                            List.of(new Document("chatId", "chat-" + random.nextInt(3))));
                }
            }
            MemberFactsProjection.stages(member);
            batch.add(member);
        }
        index.apply(batch);
        return index;
    }
}
