package io.siyu.engine.eventstore;

import java.time.Instant;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * One event inside a commit document. Domain events carry aggregate type, id and sequence number; application events
 * (published outside an aggregate) carry none and are read back as plain events.
 */
record StoredEvent(long position, String eventId, String aggregateType, String aggregateId, Long sequence,
                   String timestamp, String payloadType, String payloadRevision, byte[] payload, byte[] metaData) {

    boolean isDomainEvent() {
        return aggregateId != null;
    }

    Document toDocument() {
        Document event = new Document("id", eventId)
                .append("ts", timestamp)
                .append("type", payloadType)
                .append("rev", payloadRevision)
                .append("payload", new Binary(payload))
                .append("meta", new Binary(metaData));
        if (isDomainEvent()) {
            event.append("aggType", aggregateType).append("agg", aggregateId).append("seq", sequence);
        }
        return event;
    }

    static StoredEvent from(long position, Document event) {
        Number sequence = event.get("seq", Number.class);
        return new StoredEvent(position, event.getString("id"), event.getString("aggType"), event.getString("agg"),
                sequence == null ? null : sequence.longValue(), event.getString("ts"), event.getString("type"),
                event.getString("rev"), event.get("payload", Binary.class).getData(),
                event.get("meta", Binary.class).getData());
    }

    DomainEventData<byte[]> asDomainEventData() {
        return new GenericDomainEventEntry<>(aggregateType, aggregateId, sequence, eventId, timestamp, payloadType,
                payloadRevision, payload, metaData);
    }

    TrackedEventData<byte[]> tracked(TrackingToken token) {
        return isDomainEvent() ? new TrackedDomainEventData<>(token, asDomainEventData()) : new Application(token, this);
    }

    /** An application event read back: no aggregate, so Axon turns it into a plain tracked event message. */
    private record Application(TrackingToken token, StoredEvent event) implements TrackedEventData<byte[]> {

        @Override
        public TrackingToken trackingToken() {
            return token;
        }

        @Override
        public String getEventIdentifier() {
            return event.eventId();
        }

        @Override
        public Instant getTimestamp() {
            return Instant.parse(event.timestamp());
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return new SimpleSerializedObject<>(event.metaData(), byte[].class,
                    org.axonframework.messaging.MetaData.class.getName(), null);
        }

        @Override
        public SerializedObject<byte[]> getPayload() {
            return new SimpleSerializedObject<>(event.payload(), byte[].class, event.payloadType(),
                    event.payloadRevision());
        }
    }
}
