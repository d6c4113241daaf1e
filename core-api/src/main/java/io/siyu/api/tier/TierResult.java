package io.siyu.api.tier;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to a tier command.
 *
 * @param tier      the member's tier afterwards
 * @param duplicate {@code true} when the command had been carried out before and nothing was written now
 * @param version   the sequence number of the member stream's last event after the command
 */
public record TierResult(String tier, boolean duplicate, long version) implements MemberStreamResult {
}
