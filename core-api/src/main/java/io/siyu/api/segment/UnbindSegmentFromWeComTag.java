package io.siyu.api.segment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Stop tagging a segment's members with its WeCom tag; the tag is taken off them. Changes nothing when unbound.
 *
 * @param segmentId the saved segment
 * @param actor     who unbound it
 */
public record UnbindSegmentFromWeComTag(@TargetAggregateIdentifier String segmentId, String actor) {
}
