package io.siyu.api.segment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Bind a saved segment to a WeCom corp tag: its members carry the tag on every staff member's contact entry of
 * them, put on when they enter and taken off when they leave. Binding to the tag it is bound to changes nothing;
 * binding to another moves the segment's members from the old tag to the new one.
 *
 * @param segmentId the saved segment
 * @param tagId     WeCom's id of the corp tag
 * @param actor     who bound it
 */
public record BindSegmentToWeComTag(@TargetAggregateIdentifier String segmentId, String tagId, String actor) {
}
