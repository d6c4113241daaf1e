package io.siyu.engine.points.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every version of the earning rules, by the instant it takes effect: the rules for a purchase are the version in
 * effect when the purchase happened. Version 0 is the configured defaults, in effect from the beginning of time.
 * <p>
 * Published versions come from the rule book's event stream; this node learns of its own publications at once and
 * of other nodes' within {@code refreshEvery} (rules cannot be back-dated, so a version published for a future
 * instant is known everywhere before it applies).
 */
public final class EarningRuleCatalog {

    private final EarningRuleSet defaults;
    private final Supplier<List<EarningRuleSet>> published;
    private final long refreshEveryNanos;
    private final LongSupplier nanoTime;
    private volatile NavigableMap<Instant, EarningRuleSet> byStart;
    private volatile long loadedAt;

    public EarningRuleCatalog(EarningRuleSet defaults, Supplier<List<EarningRuleSet>> published, Duration refreshEvery,
                              LongSupplier nanoTime) {
        this.defaults = defaults;
        this.published = published;
        this.refreshEveryNanos = refreshEvery.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A fixed catalogue: the first set is the defaults, the others published versions. */
    public static EarningRuleCatalog of(EarningRuleSet... sets) {
        return new EarningRuleCatalog(sets[0], () -> List.of(sets).subList(1, sets.length), Duration.ofDays(365),
                System::nanoTime);
    }

    public EarningRuleSet inEffectAt(Instant at) {
        return current().floorEntry(at).getValue();
    }

    /** All versions, oldest first. */
    public List<EarningRuleSet> all() {
        return current().values().stream().sorted(java.util.Comparator.comparingInt(EarningRuleSet::version)).toList();
    }

    /** This node published a version: use it without waiting for a refresh. */
    public synchronized void published(EarningRuleSet set) {
        NavigableMap<Instant, EarningRuleSet> next = new TreeMap<>(current());
        next.put(set.effectiveFrom(), set);
        byStart = next;
    }

    private NavigableMap<Instant, EarningRuleSet> current() {
        NavigableMap<Instant, EarningRuleSet> sets = byStart;
        if (sets == null || nanoTime.getAsLong() - loadedAt > refreshEveryNanos) {
            sets = reload();
        }
        return sets;
    }

    private synchronized NavigableMap<Instant, EarningRuleSet> reload() {
        NavigableMap<Instant, EarningRuleSet> sets = new TreeMap<>();
        sets.put(Instant.MIN, defaults);
        for (EarningRuleSet set : published.get()) {
            sets.put(set.effectiveFrom(), set);
        }
        byStart = sets;
        loadedAt = nanoTime.getAsLong();
        return sets;
    }
}
