package io.siyu.api.segment;

/**
 * A saved segment was bound to a WeCom corp tag (the bridge tags its members).
 *
 * @param segmentId     the segment
 * @param tagId         the corp tag now bound
 * @param previousTagId the tag it was bound to before (its members are untagged), or {@code null}
 * @param actor         who bound it
 */
public record SegmentBoundToWeComTag(String segmentId, String tagId, String previousTagId, String actor) {
}
