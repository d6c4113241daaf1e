package io.siyu.api.segment;

/**
 * A saved segment is no longer bound to its WeCom corp tag (the bridge takes the tag off its members).
 *
 * @param segmentId the segment
 * @param tagId     the tag it was bound to
 * @param actor     who unbound it
 */
public record SegmentUnboundFromWeComTag(String segmentId, String tagId, String actor) {
}
