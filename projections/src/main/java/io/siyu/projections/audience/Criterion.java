package io.siyu.projections.audience;

import java.time.Instant;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import io.siyu.api.purchase.SalesChannel;

/**
 * One segment criterion, or a combination of them. Each turns the {@link MemberIndex}'s columns into the set of
 * members it selects; criteria that look at the clock ("no purchase in 30 days", the current check-in streak) are
 * evaluated at the instant asked for, so membership changes when time passes, not only when an event arrives.
 */
public sealed interface Criterion {

    /**
     * @return the members numbered in {@code [from, to)} that the criterion selects at {@code now} (no bit outside)
     */
    BitSet select(MemberIndex index, Instant now, int from, int to);

    /** @return whether the criterion depends on the time it is evaluated at */
    boolean timeRelative();

    record And(List<Criterion> all) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            BitSet selected = all.get(0).select(index, now, from, to);
            for (Criterion next : all.subList(1, all.size())) {
                selected.and(next.select(index, now, from, to));
            }
            return selected;
        }

        public boolean timeRelative() {
            return all.stream().anyMatch(Criterion::timeRelative);
        }
    }

    record Or(List<Criterion> any) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            BitSet selected = new BitSet(to);
            any.forEach(next -> selected.or(next.select(index, now, from, to)));
            return selected;
        }

        public boolean timeRelative() {
            return any.stream().anyMatch(Criterion::timeRelative);
        }
    }

    record Not(Criterion negated) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            BitSet selected = negated.select(index, now, from, to);
            selected.flip(from, to);
            return selected;
        }

        public boolean timeRelative() {
            return negated.timeRelative();
        }
    }

    record TierIn(Set<String> tiers) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            int[] codes = tiers.stream().mapToInt(index.tiers::find).toArray();
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                for (int code : codes) {
                    if (index.tier[m] == code) {
                        selected.set(m);
                    }
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** Points balance in {@code [min, max]}; a missing bound is open. */
    record PointsBalance(Long min, Long max) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            long low = min == null ? Long.MIN_VALUE : min;
            long high = max == null ? Long.MAX_VALUE : max;
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                if (index.balance[m] >= low && index.balance[m] <= high) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /**
     * Net spend (refunds deducted) of orders placed in the last {@code days} business days (today and the
     * {@code days - 1} before it, whole days in the business zone), in {@code [minFen, maxFen]}.
     */
    record SpendInLastDays(int days, Long minFen, Long maxFen) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            int since = firstMinuteOfLastDays(index, now, days);
            int until = MemberIndex.minute(now);
            long low = minFen == null ? Long.MIN_VALUE : minFen;
            long high = maxFen == null ? Long.MAX_VALUE : maxFen;
            BitSet selected = new BitSet(to);
            boolean zeroSelected = low <= 0 && high >= 0;
            for (int m = from; m < to; m++) {
                if (index.lastOrderMinute[m] < since) {
                    if (zeroSelected) {
                        selected.set(m);
                    }
                    continue;
                }
                int[] minutes = index.orderMinute[m];
                long[] net = index.orderNetFen[m];
                long spend = 0;
                for (int i = minutes.length - 1; i >= 0 && minutes[i] >= since; i--) {
                    if (minutes[i] <= until) {
                        spend += net[i];
                    }
                }
                if (spend >= low && spend <= high) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return true;
        }
    }

    /** Number of orders placed in the last {@code days} business days (as {@link SpendInLastDays}), in {@code [min, max]}. */
    record PurchasesInLastDays(int days, Integer min, Integer max) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            int since = firstMinuteOfLastDays(index, now, days);
            int until = MemberIndex.minute(now);
            int low = min == null ? 0 : min;
            int high = max == null ? Integer.MAX_VALUE : max;
            BitSet selected = new BitSet(to);
            boolean zeroSelected = low == 0;
            for (int m = from; m < to; m++) {
                if (index.lastOrderMinute[m] < since) {
                    if (zeroSelected) {
                        selected.set(m);
                    }
                    continue;
                }
                int[] minutes = index.orderMinute[m];
                int count = 0;
                for (int i = minutes.length - 1; i >= 0 && minutes[i] >= since; i--) {
                    if (minutes[i] <= until) {
                        count++;
                    }
                }
                if (count >= low && count <= high) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return true;
        }
    }

    /**
     * Business days since the member's latest order (today's date minus the order's date in the business zone: an
     * order at 23:50 yesterday is 1 day ago at 00:10 today), in {@code [min, max]}; never-buyers are not selected.
     */
    record DaysSinceLastPurchase(Integer min, Integer max) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            long today = LocalDate.ofInstant(now, index.zone).toEpochDay();
            int low = min == null ? 0 : min;
            int high = max == null ? Integer.MAX_VALUE : max;
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                int last = index.lastOrderMinute[m];
                if (last == MemberIndex.NONE) {
                    continue;
                }
                long days = Math.max(0, today - LocalDate.ofInstant(Instant.ofEpochSecond(last * 60L), index.zone)
                        .toEpochDay());
                if (days >= low && days <= high) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return true;
        }
    }

    /** The current check-in streak (0 once a business day has been missed) is at least {@code min}. */
    record CheckInStreak(int min) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            int yesterday = (int) LocalDate.ofInstant(now, index.zone).toEpochDay() - 1;
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                int current = index.lastCheckInDay[m] != MemberIndex.NONE && index.lastCheckInDay[m] >= yesterday
                        ? index.streak[m] : 0;
                if (current >= min) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return true;
        }
    }

    /**
     * The member reached the funnel stage, at least {@code minDaysAgo} whole days (24 h) before the time evaluated at
     * (0: at any time).
     */
    record FunnelStageReached(FunnelStage stage, int minDaysAgo) implements Criterion {

        public FunnelStageReached(FunnelStage stage) {
            this(stage, 0);
        }

        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            int[] reached = index.stageMinute[stage.ordinal()];
            int latest = minDaysAgo == 0 ? Integer.MAX_VALUE : MemberIndex.minute(now) - minDaysAgo * 24 * 60;
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                if (reached[m] != MemberIndex.NONE && reached[m] <= latest) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return minDaysAgo > 0;
        }
    }

    /** In any WeCom customer group ({@code chatId} null), or in one. */
    record InWeComGroup(String chatId) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            return within(chatId == null ? index.inAnyGroup : index.groups.get(chatId), from, to);
        }

        public boolean timeRelative() {
            return false;
        }
    }

    record HasWeComContact() implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                if (index.contactCount[m] > 0) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** Any staff member's contact entry of the member carries the tag. */
    record WeComTag(String tag) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            return within(index.tags.get(tag), from, to);
        }

        public boolean timeRelative() {
            return false;
        }
    }

    record RegistrationChannel(Set<SalesChannel> channels) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            boolean[] wanted = new boolean[SalesChannel.values().length];
            channels.forEach(channel -> wanted[channel.ordinal()] = true);
            BitSet selected = new BitSet(to);
            for (int m = from; m < to; m++) {
                if (wanted[index.channel[m]]) {
                    selected.set(m);
                }
            }
            return selected;
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** Registered through one of the stores. */
    record StoreIn(Set<String> stores) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            return oneOf(index.store, index.stores, stores, from, to);
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** First became a WeCom contact through a contact way with one of the {@code state}s. */
    record ContactStateIn(Set<String> states) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            return oneOf(index.contactState, index.contactStates, states, from, to);
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** Joined a WeCom customer group through a join way with one of the {@code state}s. */
    record JoinStateIn(Set<String> states) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            BitSet selected = new BitSet(to);
            states.forEach(state -> selected.or(within(index.joinStates.get(state), from, to)));
            return selected;
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** The members in {@code [from, to)} whose column holds the code of one of {@code values}. */
    private static BitSet oneOf(int[] column, MemberIndex.Dictionary dictionary, Set<String> values, int from, int to) {
        int[] codes = values.stream().mapToInt(dictionary::find).filter(code -> code != MemberIndex.NONE).toArray();
        BitSet selected = new BitSet(to);
        for (int m = from; m < to; m++) {
            for (int code : codes) {
                if (column[m] == code) {
                    selected.set(m);
                }
            }
        }
        return selected;
    }

    /** The member consents to the purpose now. */
    record Consents(String purpose) implements Criterion {
        public BitSet select(MemberIndex index, Instant now, int from, int to) {
            return within(index.consents.get(purpose), from, to);
        }

        public boolean timeRelative() {
            return false;
        }
    }

    /** A copy of a set of members, limited to {@code [from, to)}. */
    private static BitSet within(BitSet members, int from, int to) {
        if (members == null) {
            return new BitSet();
        }
        BitSet selected = (BitSet) members.clone();
        selected.clear(0, from);
        selected.clear(to, Math.max(to, selected.length()));
        return selected;
    }

    /** The first minute of the business day {@code days - 1} days before today: "the last N days" as whole days. */
    private static int firstMinuteOfLastDays(MemberIndex index, Instant now, int days) {
        return MemberIndex.minute(LocalDate.ofInstant(now, index.zone).minusDays(Math.max(0, days - 1L))
                .atStartOfDay(index.zone).toInstant());
    }
}
