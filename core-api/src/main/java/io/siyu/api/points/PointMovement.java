package io.siyu.api.points;

import java.time.Instant;

/**
 * One change of a member's balance, for display.
 *
 * @param at     when it happened
 * @param kind   {@code earned}, {@code reversed} or {@code redeemed}
 * @param points the signed change of the balance
 * @param reason why, in words a widget can show (the rule, the order or the redemption reason)
 */
public record PointMovement(Instant at, String kind, long points, String reason) {
}
