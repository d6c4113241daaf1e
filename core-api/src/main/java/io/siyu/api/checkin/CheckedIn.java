package io.siyu.api.checkin;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A member checked in on a business day. Followed, in the same commit, by the {@code PointsEarned} it produced.
 *
 * @param memberId the member
 * @param day      the business day checked in for
 * @param streak   consecutive business days checked in, this one included
 * @param at       when the member checked in
 */
public record CheckedIn(String memberId, LocalDate day, int streak, Instant at) {
}
