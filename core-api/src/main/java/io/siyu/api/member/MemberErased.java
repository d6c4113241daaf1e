package io.siyu.api.member;

import io.siyu.api.PersonalData;

/**
 * The member was erased: their data key is destroyed, so every personal field of their events reads as {@code null}
 * from now on, and read models drop what they hold of the person. Points, amounts and dates stay for accounting.
 *
 * @param memberId the member
 * @param reason   why, as the requester gave it (sealed: unreadable once the key is gone)
 * @param actor    who asked: {@code member}, or {@code <role>:<name>}
 */
public record MemberErased(String memberId, @PersonalData String reason, String actor) {
}
