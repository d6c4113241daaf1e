package io.siyu.engine.access;

import java.time.Clock;
import java.time.Duration;

import java.util.Date;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.system.Repeating;
import reactor.core.publisher.Mono;

/**
 * Keeps what access remembers bounded by time rather than by history: every minute, nonces past their window are
 * forgotten, and member codes a day past their expiry are deleted. A real MongoDB's TTL indexes do the same; the
 * embedded server has none, and without this both collections would grow with every signed request and every code.
 */
@Component
class AccessHousekeeping extends Repeating {

    private final MongoCollection<Document> nonces;
    private final MongoCollection<Document> codes;
    private final Clock clock;

    AccessHousekeeping(MongoDatabase reactiveMongoDatabase, Clock clock) {
        super("access-housekeeping", Duration.ofMinutes(1));
        this.nonces = reactiveMongoDatabase.getCollection(SignedRequests.NONCES);
        this.codes = reactiveMongoDatabase.getCollection(MemberCodes.COLLECTION);
        this.clock = clock;
    }

    @Override
    protected void runOnce() {
        Date now = Date.from(clock.instant());
        sweep(now);
    }

    /** Deletes what is past its time at {@code now}. */
    void sweep(Date now) {
        Mono.from(nonces.deleteMany(Filters.lt("expiresAt", now))).block();
        Mono.from(codes.deleteMany(Filters.lt("purgeAt", now))).block();
    }

}
