package io.siyu.api.member;

/**
 * The answer to {@link RegisterMember}.
 *
 * @param memberId the member's id
 * @param created  {@code true} when this command created the member, {@code false} when it already existed
 * @param version  the sequence number of the member stream's last event after the command
 */
public record MemberRegistration(String memberId, boolean created, long version) implements MemberStreamResult {
}
