package io.siyu.api.wecom;

import io.siyu.api.member.MemberStreamResult;

/**
 * The answer to a WeCom fact command.
 *
 * @param recorded  {@code true} when the fact changed something and was recorded
 * @param duplicate {@code true} when the fact key had been seen before (a callback delivered again)
 * @param version   the sequence number of the member stream's last event after the command
 */
public record WeComFactResult(boolean recorded, boolean duplicate, long version) implements MemberStreamResult {
}
