package io.siyu.api.member;

/**
 * The answer to {@link EraseMember}.
 *
 * @param erasedNow {@code false} when the member had been erased before and nothing was written
 * @param version   the sequence number of the member stream's last event after the command
 */
public record ErasureResult(boolean erasedNow, long version) implements MemberStreamResult {
}
