package io.siyu.api.member;

/**
 * The answer to a command on a member stream. Its {@link #version()} is the sequence number of the stream's last
 * event after the command, which lets a caller wait until a read model includes the command's effect.
 */
public interface MemberStreamResult {

    long version();
}
