package io.siyu.engine.points;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.siyu.api.points.LotTaken;
import io.siyu.api.points.OpenLot;

/**
 * A member's points as lots: every earning is a lot with its own expiry, and everything that takes points (a
 * redemption, a refund's reversal, an expiry, a negative adjustment) takes them from named lots, first to expire
 * first. Points a refund could not take back are a debt, paid off by later earnings before they reach a lot.
 * <p>
 * The planning methods ({@link #plan}, {@link #dueExpiries}) decide; the others only record what an event says, so
 * the aggregate and every replay of a member's history (as-of answers) arrive at the same lots.
 */
public final class PointLedger {

    private static final Comparator<Lot> CONSUMPTION_ORDER = Comparator
            .comparing(Lot::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Lot::order);

    private final Map<String, Lot> lots = new LinkedHashMap<>();
    private long debt;
    private long created;

    /** One lot and what is left of it (an array in a snapshot: a member holds hundreds of lots). */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"lotId", "remaining", "expiresAt", "order"})
    record Lot(String lotId, long remaining, Instant expiresAt, long order) {
    }

    public long balance() {
        return lots.values().stream().mapToLong(Lot::remaining).sum();
    }

    /** Points usable at {@code at}: lots past their expiry do not count even before their expiry is recorded. */
    public long balanceAt(Instant at) {
        return lots.values().stream().filter(lot -> !expired(lot, at)).mapToLong(Lot::remaining).sum();
    }

    public long debt() {
        return debt;
    }

    /**
     * Which lots {@code points} would be taken from at {@code at}: the {@code preferredLot} first (a refund takes
     * back from its own order's lot), then the others, first to expire first. Expired lots are never taken. When
     * the usable balance is short, the plan covers only what it holds.
     */
    public List<LotTaken> plan(long points, Instant at, String preferredLot) {
        List<Lot> order = new ArrayList<>(lots.values());
        order.sort(Comparator.comparing((Lot lot) -> !lot.lotId().equals(preferredLot)).thenComparing(CONSUMPTION_ORDER));
        List<LotTaken> taken = new ArrayList<>();
        long wanted = points;
        for (Lot lot : order) {
            if (wanted == 0) {
                break;
            }
            if (expired(lot, at)) {
                continue;
            }
            long take = Math.min(wanted, lot.remaining());
            taken.add(new LotTaken(lot.lotId(), take));
            wanted -= take;
        }
        return taken;
    }

    /** Lots whose expiry has come by {@code at}, grouped by their expiry instant, earliest first. */
    public Map<Instant, List<LotTaken>> dueExpiries(Instant at) {
        Map<Instant, List<LotTaken>> due = new java.util.TreeMap<>();
        lots.values().stream().filter(lot -> expired(lot, at)).sorted(CONSUMPTION_ORDER)
                .forEach(lot -> due.computeIfAbsent(lot.expiresAt(), key -> new ArrayList<>())
                        .add(new LotTaken(lot.lotId(), lot.remaining())));
        return due;
    }

    public List<OpenLot> openLots() {
        return lots.values().stream().sorted(CONSUMPTION_ORDER)
                .map(lot -> new OpenLot(lot.lotId(), lot.remaining(), lot.expiresAt())).toList();
    }

    /** How much of an amount earned now goes to paying off the debt. */
    public long debtRepaymentFrom(long earned) {
        return Math.min(debt, earned);
    }

    // --- recording what events say ---

    public void earned(String lotId, long points, long debtRepaid, Instant expiresAt) {
        debt -= debtRepaid;
        long lotPoints = points - debtRepaid;
        if (lotPoints > 0) {
            lots.put(lotId, new Lot(lotId, lotPoints, expiresAt, created++));
        }
    }

    public void took(List<LotTaken> taken) {
        for (LotTaken take : taken) {
            lots.computeIfPresent(take.lotId(), (id, lot) -> lot.remaining() == take.points()
                    ? null
                    : new Lot(id, lot.remaining() - take.points(), lot.expiresAt(), lot.order()));
        }
    }

    public void owes(long points) {
        debt += points;
    }

    private static boolean expired(Lot lot, Instant at) {
        return lot.expiresAt() != null && !at.isBefore(lot.expiresAt());
    }
}
