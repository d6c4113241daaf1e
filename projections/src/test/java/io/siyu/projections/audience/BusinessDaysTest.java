package io.siyu.projections.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * "In the last N days" and "days since the last purchase" count whole business days (Asia/Shanghai), not 24-hour
 * periods from the minute: ten minutes after midnight, an order at 23:50 the evening before was yesterday.
 */
class BusinessDaysTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 00:10 on 2026-11-26 in Shanghai. */
    private static final Instant NOW = Instant.parse("2026-11-25T16:10:00Z");

    private static MemberIndex members(Instant... lastOrders) {
        MemberIndex index = new MemberIndex(SHANGHAI, "member");
        List<Document> batch = new java.util.ArrayList<>();
        for (int m = 0; m < lastOrders.length; m++) {
            Document member = new Document("_id", "m-" + m).append("registeredAt", Date.from(NOW.minusSeconds(864_000)))
                    .append("channel", "pos").append("tier", "member").append("balance", 0L)
                    .append("orders", List.of(new Document("orderId", "O-1").append("at", Date.from(lastOrders[m]))
                            .append("amountFen", 10_000L).append("refundedFen", 0L)));
            MemberFactsProjection.stages(member);
            batch.add(member);
        }
        index.apply(batch);
        return index;
    }

    @Test
    void anOrderBeforeMidnightIsYesterdayTenMinutesLater() {
        // 23:50 on 2026-11-25, 00:05 on 2026-11-26, 00:15 on 2026-11-19 (Shanghai)
        MemberIndex index = members(Instant.parse("2026-11-25T15:50:00Z"), Instant.parse("2026-11-25T16:05:00Z"),
                Instant.parse("2026-11-18T16:15:00Z"));
        assertThat(index.select(new Criterion.DaysSinceLastPurchase(1, 1), NOW).stream().toArray())
                .as("bought yesterday evening: 1 day ago, though only 20 minutes have passed").containsExactly(0);
        assertThat(index.select(new Criterion.DaysSinceLastPurchase(0, 0), NOW).stream().toArray())
                .containsExactly(1);
        assertThat(index.select(new Criterion.PurchasesInLastDays(1, 1, null), NOW).stream().toArray())
                .as("the last 1 day is today").containsExactly(1);
        assertThat(index.select(new Criterion.PurchasesInLastDays(2, 1, null), NOW).stream().toArray())
                .containsExactly(0, 1);
        assertThat(index.select(new Criterion.SpendInLastDays(8, 10_000L, null), NOW).stream().toArray())
                .as("the last 8 days start at midnight seven days ago").containsExactly(0, 1, 2);
        assertThat(index.select(new Criterion.SpendInLastDays(7, 10_000L, null), NOW).stream().toArray())
                .containsExactly(0, 1);
    }
}
