package io.siyu.engine.member.history;

import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.siyu.engine.eventstore.StateJson;
import io.siyu.engine.tier.TierQualificationPolicy;

/**
 * A member's own event stream, read from the event store (not a projection): the source for "why did my points
 * change" and for the state at any past instant. An as-of answer starts from the nearest checkpoint at or before the
 * instant ({@code standing_checkpoints}: the folded standing after every {@value #CHECKPOINT_EVERY} events, written
 * the first time a read passes it) and folds only the events after it, so its cost does not grow with the history.
 * Checkpoints forget orders older than the qualifying window of their own instant; they are derived data and can be
 * dropped at any time (they are folded again).
 */
@Component
public class MemberHistory {

    static final int CHECKPOINT_EVERY = 256;
    static final String CHECKPOINTS = "standing_checkpoints";

    private final EventStore eventStore;
    private final TierQualificationPolicy qualification;
    private final MongoCollection<Document> checkpoints;
    private final ObjectMapper json;

    MemberHistory(EventStore eventStore, TierQualificationPolicy qualification, MongoDatabase syncMongoDatabase) {
        this.eventStore = eventStore;
        this.qualification = qualification;
        this.checkpoints = syncMongoDatabase.getCollection(CHECKPOINTS);
        this.json = StateJson.mapper();
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
        Optional<Long> last = eventStore.lastSequenceNumberFor(memberId);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint from = nearest(memberId, at);
        MemberStanding standing = from.standing();
        long latest = from.number();
        Iterator<? extends DomainEventMessage<?>> events = eventStore.readEvents(memberId, from.number()
                * CHECKPOINT_EVERY).asStream().iterator();
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            standing.apply(event.getPayload(), event.getTimestamp());
            long folded = event.getSequenceNumber() + 1;
            if (folded % CHECKPOINT_EVERY == 0 && folded / CHECKPOINT_EVERY > latest) {
                latest = folded / CHECKPOINT_EVERY;
                store(memberId, latest, event.getTimestamp(), standing);
            }
        }
        return standing.registered() ? Optional.of(standing) : Optional.empty();
    }

    /** A checkpoint: the standing after the first {@code number × CHECKPOINT_EVERY} events. */
    private record Checkpoint(long number, Instant at, MemberStanding standing) {
    }

    /**
     * The last stored checkpoint whose last event happened by {@code at} (checkpoint 0, the empty standing, if none):
     * the member's newest checkpoint when it is old enough (one point read), else a binary search over the stored
     * ones by {@code _id}.
     */
    private Checkpoint nearest(String memberId, Instant at) {
        Checkpoint best = new Checkpoint(0, Instant.MIN, new MemberStanding());
        Document head = checkpoints.find(Filters.eq("_id", memberId + "#head")).first();
        long newest = head == null ? 0 : head.get("newest", Number.class).longValue();
        if (newest == 0) {
            return best;
        }
        Optional<Checkpoint> top = read(memberId, newest);
        if (top.isPresent() && !top.get().at().isAfter(at)) {
            return top.get();
        }
        long low = 1;
        long high = newest - 1;
        while (low <= high) {
            long middle = (low + high) >>> 1;
            Optional<Checkpoint> checkpoint = read(memberId, middle);
            if (checkpoint.isEmpty() || checkpoint.get().at().isAfter(at)) {
                high = middle - 1; // too late (or dropped): look lower
            } else {
                best = checkpoint.get();
                low = middle + 1;
            }
        }
        return best;
    }

    private Optional<Checkpoint> read(String memberId, long number) {
        Document stored = checkpoints.find(Filters.eq("_id", memberId + "#" + number)).first();
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Checkpoint(number, stored.getDate("at").toInstant(),
                    json.readValue(stored.getString("state"), MemberStanding.class)));
        } catch (JsonProcessingException unreadable) {
            return Optional.empty(); // a checkpoint of another shape: folded again
        }
    }

    private void store(String memberId, long number, Instant at, MemberStanding standing) {
        standing.forgetOrdersBefore(qualification.windowStart(at));
        try {
            checkpoints.replaceOne(Filters.eq("_id", memberId + "#" + number), new Document("_id", memberId + "#"
                    + number).append("at", Date.from(at)).append("state", json.writeValueAsString(standing)),
                    new ReplaceOptions().upsert(true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a standing checkpoint", e);
        }
        checkpoints.updateOne(Filters.eq("_id", memberId + "#head"),
                Updates.max("newest", number), new UpdateOptions().upsert(true));
    }
}
