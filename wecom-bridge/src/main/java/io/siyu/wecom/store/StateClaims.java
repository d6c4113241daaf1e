package io.siyu.wecom.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;

import reactor.core.publisher.Mono;

/**
 * Things WeCom makes once per caller-chosen {@code state} (contact ways, join ways), kept one document per state:
 * the state is claimed ({@code status: creating}, with {@code createdAt}) before WeCom is asked, so two requests
 * racing for one state make one thing; the claim becomes {@code made} with what WeCom answered, or is dropped when
 * WeCom refused. A claim still {@code creating} after {@code abandonedAfter} was left by a request that died between
 * claiming and WeCom's answer: the next request takes it over.
 */
public final class StateClaims {

    private final MongoCollection<Document> collection;
    private final Clock clock;
    private final Duration abandonedAfter;

    public StateClaims(MongoCollection<Document> collection, Clock clock, Duration abandonedAfter) {
        this.collection = collection;
        this.clock = clock;
        this.abandonedAfter = abandonedAfter;
    }

    /**
     * @param claim the document to claim the state with ({@code _id} the state); {@code status} and {@code createdAt}
     *              are set here
     * @return whether this request holds the claim now
     */
    public boolean claim(Document claim) {
        claim.append("status", "creating").append("createdAt", Date.from(clock.instant()));
        String state = claim.getString("_id");
        return first(claim) || (abandoned(state) && first(claim));
    }

    /** WeCom made it: the claim holds what it answered. */
    public void made(String state, Bson answer) {
        Mono.from(collection.updateOne(Filters.eq("_id", state), Updates.combine(Updates.set("status", "made"),
                answer))).block();
    }

    /** WeCom refused (or could not be reached): the state is free again. */
    public void release(String state) {
        Mono.from(collection.deleteOne(Filters.eq("_id", state))).block();
    }

    /** @return the document of what was made for a state (not a claim still being made) */
    public Optional<Document> find(String state) {
        return Mono.from(collection.find(Filters.eq("_id", state)).first())
                .filter(doc -> "made".equals(doc.getString("status"))).blockOptional();
    }

    /**
     * A request that found the state claimed waits (at most {@code within}) for the request that claimed it to finish,
     * so identical requests racing each other get the same answer instead of a conflict.
     *
     * @return what was made, or empty if it was not made in time (or was dropped)
     */
    public Optional<Document> awaitMade(String state, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (true) {
            Document doc = Mono.from(collection.find(Filters.eq("_id", state)).first()).block();
            if (doc == null || "made".equals(doc.getString("status"))) {
                return Optional.ofNullable(doc);
            }
            if (System.nanoTime() > until) {
                return Optional.empty();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private boolean abandoned(String state) {
        Date before = Date.from(clock.instant().minus(abandonedAfter));
        return Mono.from(collection.deleteOne(Filters.and(Filters.eq("_id", state), Filters.eq("status", "creating"),
                Filters.lt("createdAt", before)))).map(deleted -> deleted.getDeletedCount() > 0).block();
    }

    private boolean first(Document claim) {
        return Boolean.TRUE.equals(FirstWrite.insert(collection, claim).block());
    }
}
