package io.siyu.api.reward;

/**
 * The reward catalogue a page at a time, in reward id order.
 *
 * @param after the last reward id of the previous page, or {@code null} for the first
 * @param limit most rewards on the page
 */
public record FindRewards(String after, int limit) {
}
