package io.siyu.api.tier;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Run whatever tier review is due now (retention at the anniversary, the end of a manual floor). Sent when a review
 * falls due; when nothing is due it writes nothing.
 *
 * @param memberId the member
 */
public record ReviewTier(@TargetAggregateIdentifier String memberId) {
}
