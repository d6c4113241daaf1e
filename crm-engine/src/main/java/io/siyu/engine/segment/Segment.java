package io.siyu.engine.segment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.segment.DefineSegment;
import io.siyu.api.segment.SegmentDefined;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A saved segment's definition. Who is in it is recorded on the members' own streams
 * ({@code MemberEnteredSegment}), kept by {@link SegmentMembershipKeeper}; a segment stream stays one event long.
 */
@Aggregate
class Segment {

    @AggregateIdentifier
    private String segmentId;
    private SegmentDefined definition;

    Segment() {
        // for Axon
    }

    /** @return {@code true} when this command saved the segment, {@code false} on a repeat */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    boolean handle(DefineSegment command) {
        SegmentDefined defined = new SegmentDefined(command.segmentId(), command.name(), command.criteria(),
                command.actor());
        if (segmentId != null) {
            if (!definition.name().equals(defined.name()) || !definition.criteria().equals(defined.criteria())) {
                throw new IdempotencyKeyReusedException("segmentId", command.segmentId());
            }
            return false;
        }
        apply(defined);
        return true;
    }

    @EventSourcingHandler
    void on(SegmentDefined event) {
        segmentId = event.segmentId();
        definition = event;
    }
}
