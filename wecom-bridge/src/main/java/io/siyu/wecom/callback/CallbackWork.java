package io.siyu.wecom.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.work.DeadWork;
import io.siyu.wecom.work.GivingUp;
import io.siyu.wecom.work.WorkProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The translations the bridge owes, durable before WeCom is answered ({@code wecom_work}, one document per callback
 * to translate, keyed by its dedupe key, deleted once translated): any node can do each, claiming it with a lease
 * ({@link WorkProperties#lease()}), so a node that stops or dies mid-way leaves it to the next. A translation asked for
 * again while one is running ({@code again}: a repeated re-read callback, a re-link) runs once more after it, so a
 * burst of requests costs at most one more translation. A failing one waits as {@link GivingUp} says and is given up
 * (dead) after its attempts or age: listed and retried as the dead letters of {@code wecom-translation}.
 */
@Component
public class CallbackWork implements DeadWork {

    static final String COLLECTION = "wecom_work";
    private static final String PENDING = "pending";
    private static final String DEAD = "dead";

    private final MongoCollection<Document> work;
    private final Clock clock;
    private final GivingUp givingUp;
    private final Duration lease;

    CallbackWork(MongoDatabase reactiveMongoDatabase, Clock clock, WorkProperties properties) {
        this.work = reactiveMongoDatabase.getCollection(COLLECTION);
        this.clock = clock;
        this.givingUp = new GivingUp(properties);
        this.lease = properties.lease();
    }

    @Override
    public String name() {
        return "wecom-translation";
    }

    /**
     * Queues the translation of a logged callback, durably. {@code again}: translate it even if it was translated
     * before (a repeated re-read, a re-link, a replay) — a dead entry comes back to work; otherwise an entry already
     * queued is left as it is.
     *
     * @param about the person or group the callback is about (its lane)
     */
    Mono<Void> queue(String dedupeKey, String about, boolean again) {
        Date now = Date.from(clock.instant());
        Bson update = again
                ? Updates.combine(Updates.setOnInsert("queuedAt", now), Updates.set("about", about),
                Updates.set("state", PENDING), Updates.set("attempts", 0), Updates.set("nextAttemptAt", now),
                Updates.set("again", true), Updates.unset("deadAt"))
                : Updates.combine(Updates.setOnInsert("queuedAt", now), Updates.setOnInsert("about", about),
                Updates.setOnInsert("state", PENDING), Updates.setOnInsert("attempts", 0),
                Updates.setOnInsert("nextAttemptAt", now));
        return Mono.from(work.updateOne(Filters.eq("_id", dedupeKey), update, new UpdateOptions().upsert(true)))
                .then();
    }

    /** @return the entry, now held by this node for {@link WorkProperties#lease()}, or empty if done or held */
    Optional<Document> claim(String dedupeKey) {
        Date now = Date.from(clock.instant());
        return Mono.from(work.findOneAndUpdate(Filters.and(Filters.eq("_id", dedupeKey), Filters.eq("state", PENDING),
                        Filters.or(Filters.exists("leaseUntil", false), Filters.lte("leaseUntil", now))),
                Updates.combine(Updates.set("leaseUntil", Date.from(clock.instant().plus(lease))),
                        Updates.unset("again")),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).blockOptional();
    }

    /** @return {@code true} when the entry is done; {@code false} when it was asked for again meanwhile (run again) */
    boolean finish(String dedupeKey) {
        long deleted = Mono.from(work.deleteOne(Filters.and(Filters.eq("_id", dedupeKey),
                Filters.exists("again", false)))).block().getDeletedCount();
        if (deleted == 1) {
            return true;
        }
        release(dedupeKey);
        return false;
    }

    /** Frees an entry this node holds without counting an attempt (a normal stop). */
    void release(String dedupeKey) {
        Mono.from(work.updateOne(Filters.eq("_id", dedupeKey), Updates.unset("leaseUntil"))).block();
    }

    /**
     * Records a failed attempt on a claimed entry.
     *
     * @return the pause before the next attempt, or empty when the entry was given up
     */
    Optional<Duration> failed(Document claimed, String error) {
        Instant now = clock.instant();
        int attempts = claimed.getInteger("attempts", 0) + 1;
        Date queuedAt = claimed.getDate("queuedAt");
        boolean dead = givingUp.givesUp(attempts, queuedAt == null ? null : queuedAt.toInstant(), now);
        Duration pause = givingUp.pause(attempts);
        Mono.from(work.updateOne(Filters.eq("_id", claimed.getString("_id")), Updates.combine(
                Updates.set("attempts", attempts), Updates.set("lastError", error), Updates.unset("leaseUntil"),
                dead ? Updates.combine(Updates.set("state", DEAD), Updates.set("deadAt", Date.from(now)))
                        : Updates.set("nextAttemptAt", Date.from(now.plus(pause)))))).block();
        return dead ? Optional.empty() : Optional.of(pause);
    }

    /** Gives a claimed entry up at once: its failure can never succeed. @return empty (no next attempt) */
    Optional<Duration> givenUp(Document claimed, String error) {
        Mono.from(work.updateOne(Filters.eq("_id", claimed.getString("_id")), Updates.combine(
                Updates.set("attempts", claimed.getInteger("attempts", 0) + 1), Updates.set("lastError", error),
                Updates.unset("leaseUntil"), Updates.set("state", DEAD),
                Updates.set("deadAt", Date.from(clock.instant()))))).block();
        return Optional.empty();
    }

    /** An entry that is due: its dedupe key and lane. */
    record Due(String dedupeKey, String about) {
    }

    /** @return up to {@code limit} pending entries whose next attempt is due and that no node holds */
    List<Due> due(int limit) {
        Date now = Date.from(clock.instant());
        return Flux.from(work.find(Filters.and(Filters.eq("state", PENDING), Filters.lte("nextAttemptAt", now),
                        Filters.or(Filters.exists("leaseUntil", false), Filters.lte("leaseUntil", now))))
                        .limit(limit))
                .map(entry -> new Due(entry.getString("_id"), entry.getString("about")))
                .collectList().block();
    }

    /** @return whether a one-time step has been taken (markers live beside the work, in no state it reads) */
    boolean marked(String marker) {
        return Mono.from(work.find(Filters.eq("_id", "#" + marker)).first()).blockOptional().isPresent();
    }

    void mark(String marker) {
        Mono.from(work.updateOne(Filters.eq("_id", "#" + marker), Updates.set("state", "marker"),
                new UpdateOptions().upsert(true))).block();
    }

    /** Drops the work about these external users (an erasure): it would only record facts of an erased member. */
    public long forget(java.util.Collection<String> externalUserIds) {
        return externalUserIds.isEmpty() ? 0 : Mono.from(work.deleteMany(Filters.in("about", externalUserIds)))
                .map(r -> r.getDeletedCount()).defaultIfEmpty(0L).block();
    }

    @Override
    public long dead() {
        return Mono.from(work.countDocuments(Filters.eq("state", DEAD))).block();
    }

    @Override
    public List<Entry> first(int limit) {
        List<Entry> entries = new ArrayList<>();
        Flux.from(work.find(Filters.eq("state", DEAD)).sort(Sorts.ascending("deadAt")).limit(limit))
                .doOnNext(entry -> entries.add(new Entry(shown(entry.getString("_id")), "translation",
                        entry.getInteger("attempts", 0), instant(entry.getDate("queuedAt")),
                        instant(entry.getDate("deadAt")), entry.getString("lastError"))))
                .blockLast();
        return entries;
    }

    @Override
    public int retryDead() {
        Date now = Date.from(clock.instant());
        return (int) Mono.from(work.updateMany(Filters.eq("state", DEAD), Updates.combine(
                Updates.set("state", PENDING), Updates.set("attempts", 0), Updates.set("queuedAt", now),
                Updates.set("nextAttemptAt", now), Updates.unset("deadAt"), Updates.unset("leaseUntil"))))
                .block().getModifiedCount();
    }

    /**
     * A dedupe key as an operator sees it: the event, change and WeCom's time, with the people in it replaced by a
     * short digest of the whole key (enough to tell entries apart, nothing to identify a person by).
     */
    static String shown(String dedupeKey) {
        String[] parts = dedupeKey.split("\\|", -1);
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(dedupeKey.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        String event = parts[0];
        String change = parts.length > 1 && "change_external_contact".equals(event) ? parts[1]
                : parts.length > 2 && "change_external_chat".equals(event) ? parts[2] : "";
        return event + "|" + change + "|" + parts[parts.length - 1] + "#" + digest;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
