package io.siyu.api.rules;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A campaign window: purchases that happened in {@code [start, end)} earn {@code multiplier} times the points.
 *
 * @param id         the campaign's name as movements show it, e.g. {@code double11}
 * @param start      first instant of the window
 * @param end        first instant after the window
 * @param multiplier the factor (at least 0)
 */
public record Campaign(String id, Instant start, Instant end, BigDecimal multiplier) {
}
