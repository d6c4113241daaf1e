package io.siyu.engine.member;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The member's reward redemptions in flight: points held from {@code RewardRedemptionHeld} until the redemption is
 * paid or ends unpaid. Every hold ends, by its deadline at the latest, and at most {@link #MAX_PENDING} are open at
 * once, so this stays small whatever the member's history; an ended redemption is answered from the commit that
 * ended it ({@link RecordedFacts}).
 */
final class RewardHolds {

    /** Reward redemptions one member may have in flight at once; one more is refused until one ends. */
    static final int MAX_PENDING = 10;

    private final Map<String, Hold> holds = new LinkedHashMap<>();

    /** A hold: the reward and the points held; an array in a snapshot. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"rewardId", "points"})
    record Hold(String rewardId, long points) {
    }

    Hold get(String redemptionId) {
        return holds.get(redemptionId);
    }

    boolean full() {
        return holds.size() >= MAX_PENDING;
    }

    /** Points held by every open redemption: not available to spend. */
    long points() {
        return holds.values().stream().mapToLong(Hold::points).sum();
    }

    /** Open redemptions of {@code rewardId}: they count against its per-member limit. */
    int of(String rewardId) {
        return (int) holds.values().stream().filter(hold -> hold.rewardId().equals(rewardId)).count();
    }

    void held(String redemptionId, String rewardId, long points) {
        holds.put(redemptionId, new Hold(rewardId, points));
    }

    void ended(String redemptionId) {
        holds.remove(redemptionId);
    }
}
