package io.siyu.api.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Erase a member (PIPL Art. 47): their personal data becomes unreadable everywhere and the account takes no further
 * command. Erasing an erased member changes nothing.
 *
 * @param memberId the member
 * @param reason   why, as the requester gave it (kept sealed with the member's own key, so it goes with the rest)
 * @param actor    who asked: {@code member} for the member's own request, otherwise {@code <role>:<name>}
 */
public record EraseMember(@TargetAggregateIdentifier String memberId, String reason, String actor) {
}
