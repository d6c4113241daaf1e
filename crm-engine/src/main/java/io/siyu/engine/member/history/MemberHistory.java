package io.siyu.engine.member.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A member's own event stream, read from the event store (not a projection): the source for "why did my points
 * change" and for the state at any past instant. Snapshots are skipped on purpose; the whole stream is folded.
 */
@Component
public class MemberHistory {

    private final EventStore eventStore;

    MemberHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Every event of the member, oldest first; empty when there is no such member. */
    public List<DomainEventMessage<?>> events(String memberId) {
        return eventStore.readEvents(memberId, 0).asStream().<DomainEventMessage<?>>map(message -> message).toList();
    }

    /**
     * Up to {@code count} of the member's events just before sequence number {@code before} ({@code null}: the
     * newest), oldest first; empty when there is no such member. Reads only that window (point reads by stream key),
     * however long the history.
     */
    public List<DomainEventMessage<?>> window(String memberId, Long before, int count) {
        Optional<Long> last = eventStore.lastSequenceNumberFor(memberId);
        if (last.isEmpty()) {
            return List.of();
        }
        long end = before == null ? last.get() + 1 : Math.min(before, last.get() + 1);
        long start = Math.max(0, end - count);
        if (end <= start) {
            return List.of();
        }
        return eventStore.readEvents(memberId, start).asStream().limit(end - start)
                .<DomainEventMessage<?>>map(message -> message).toList();
    }

    /** Whether the member exists (has any event). */
    public boolean exists(String memberId) {
        return eventStore.lastSequenceNumberFor(memberId).isPresent();
    }

    /** The member's points and tier as they stood at {@code at}, folded from the events recorded by then. */
    public Optional<MemberStanding> asOf(String memberId, Instant at) {
        MemberStanding standing = new MemberStanding();
        for (DomainEventMessage<?> event : events(memberId)) {
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            standing.apply(event.getPayload(), event.getTimestamp());
        }
        return standing.registered() ? Optional.of(standing) : Optional.empty();
    }
}
