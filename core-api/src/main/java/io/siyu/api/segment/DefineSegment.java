package io.siyu.api.segment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Save a segment: a named set of criteria whose members are kept up to date as events arrive and time passes.
 * {@code segmentId} is the idempotency key; the same id with other criteria is refused.
 *
 * @param segmentId the marketer's id for the segment
 * @param name      a name for people
 * @param criteria  the criteria as JSON (validated before the command is sent)
 * @param actor     who saved it
 */
public record DefineSegment(@TargetAggregateIdentifier String segmentId, String name, String criteria,
                            String actor) {
}
