package io.siyu.api.segment;

/**
 * A segment was saved.
 *
 * @param segmentId the segment's id
 * @param name      its name
 * @param criteria  its criteria as JSON
 * @param actor     who saved it
 */
public record SegmentDefined(String segmentId, String name, String criteria, String actor) {
}
