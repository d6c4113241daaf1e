package io.siyu.api.reward;

import java.util.List;

/**
 * One page of the reward catalogue.
 *
 * @param rewards   the rewards, in id order
 * @param nextAfter the {@code after} of the next page, or {@code null} when this was the last
 */
public record RewardPage(List<RewardView> rewards, String nextAfter) {
}
