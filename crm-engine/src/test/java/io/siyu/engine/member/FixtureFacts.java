package io.siyu.engine.member;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import io.siyu.api.KeyedFact;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.MemberRegistered;

/**
 * {@link RecordedFacts} over an aggregate test fixture's events, which have no commits: the keyed event and the
 * events after it up to the next operation (the next keyed event, check-in or registration). The engine's own store
 * answers from real commits; its tests cover that.
 */
public final class FixtureFacts implements RecordedFacts {

    private final EventStore events;

    public FixtureFacts(EventStore events) {
        this.events = events;
    }

    @Override
    public List<Object> carrying(String memberId, String key) {
        List<Object> found = new ArrayList<>();
        boolean inside = false;
        for (DomainEventMessage<?> message : events.readEvents(memberId).asStream().toList()) {
            Object payload = message.getPayload();
            boolean startsAnOperation = payload instanceof KeyedFact || payload instanceof CheckedIn
                    || payload instanceof MemberRegistered;
            if (inside && startsAnOperation) {
                break;
            }
            if (payload instanceof KeyedFact keyed && keyed.idempotencyKey().equals(key)) {
                inside = true;
            }
            if (inside) {
                found.add(payload);
            }
        }
        return found;
    }
}
