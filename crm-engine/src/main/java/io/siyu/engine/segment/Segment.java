package io.siyu.engine.segment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.segment.BindSegmentToWeComTag;
import io.siyu.api.segment.DefineSegment;
import io.siyu.api.segment.SegmentBoundToWeComTag;
import io.siyu.api.segment.SegmentDefined;
import io.siyu.api.segment.SegmentUnboundFromWeComTag;
import io.siyu.api.segment.UnbindSegmentFromWeComTag;
import io.siyu.engine.refusal.IdempotencyKeyReusedException;

/**
 * A saved segment's definition. Who is in it is recorded on the members' own streams
 * ({@code MemberEnteredSegment}), kept by {@link SegmentMembershipKeeper}; the segment's own stream holds its
 * definition and the WeCom tag it is bound to.
 */
@Aggregate
class Segment {

    @AggregateIdentifier
    private String segmentId;
    private SegmentDefined definition;
    private String weComTagId;

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

    /** @return {@code true} when the binding changed */
    @CommandHandler
    boolean handle(BindSegmentToWeComTag command) {
        if (command.tagId().equals(weComTagId)) {
            return false;
        }
        apply(new SegmentBoundToWeComTag(segmentId, command.tagId(), weComTagId, command.actor()));
        return true;
    }

    /** @return {@code true} when the segment was bound */
    @CommandHandler
    boolean handle(UnbindSegmentFromWeComTag command) {
        if (weComTagId == null) {
            return false;
        }
        apply(new SegmentUnboundFromWeComTag(segmentId, weComTagId, command.actor()));
        return true;
    }

    @EventSourcingHandler
    void on(SegmentBoundToWeComTag event) {
        weComTagId = event.tagId();
    }

    @EventSourcingHandler
    void on(SegmentUnboundFromWeComTag event) {
        weComTagId = null;
    }

    @EventSourcingHandler
    void on(SegmentDefined event) {
        segmentId = event.segmentId();
        definition = event;
    }
}
