package io.siyu.wecom.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.queryhandling.QueryGateway;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.member.FindMemberStanding;
import io.siyu.api.member.MemberStandingView;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.api.WeComErrors;
import io.siyu.wecom.api.WeComHalt;
import io.siyu.wecom.work.DeadWork;
import io.siyu.wecom.work.GivingUp;
import io.siyu.wecom.work.WorkProperties;
import io.siyu.wecom.config.WeComProperties;
import io.siyu.wecom.store.FirstWrite;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the bridge asks of WeCom on its own initiative — welcome messages and tag changes — first as a document
 * in a durable outbox ({@code wecom_outbox}), then sent through {@link WeComApi} (rate limit, token refresh, short
 * retries). What WeCom still refuses for a while (limits, busy, unreachable) is recorded on the document (attempts,
 * last error, next attempt) and tried again with exponential backoff up to {@link #LONGEST_PAUSE}; pending work is
 * picked up again at start, so a restart loses nothing. What WeCom's answers mean is {@link WeComErrors}' one table:
 * final answers settle the entry with their status (41051 {@code already-sent}, 40068 {@code unknown-tag}, 84061
 * {@code no-relationship}, …); an answer that needs an operator (a wrong secret) stops the bridge ({@link WeComHalt})
 * without counting an attempt; anything else is retried under the bridge's one giving-up policy ({@link GivingUp}) and
 * after its attempts or age is {@code dead} — listed and retried as the dead letters of {@code wecom-outbox}.
 * <p>
 * A tag entry holds the state wanted for one (tag, staff member, external contact): tagged or not, with a revision
 * that every change raises. A send settles only the revision it sent, so a change that arrives while an earlier one
 * is on its way is sent after it, never overtaken by it; one entry is worked on by one thread at a time (per node).
 */
@Component
public class Outbox implements DisposableBean, DeadWork {

    static final String COLLECTION = "wecom_outbox";
    static final Duration WELCOME_CODE_VALIDITY = Duration.ofSeconds(20);
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(5);
    private static final String DEAD = "dead";
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final MongoCollection<Document> outbox;
    private final WeComApi api;
    private final QueryGateway queries;
    private final Clock clock;
    private final String template;
    private final GivingUp givingUp;
    private final NonMemberWelcome nonMember;
    private final WelcomeCard card;
    private final WeComHalt halt;
    private final ConsentCheck consent;
    /** Entries being worked on; {@code true} when another look was asked for meanwhile. */
    private final Map<String, Boolean> working = new ConcurrentHashMap<>();
    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-outbox");
        thread.setDaemon(true);
        return thread;
    });

    Outbox(MongoDatabase reactiveMongoDatabase, WeComApi api, QueryGateway queries, Clock clock,
           WeComProperties properties, WorkProperties work, WeComHalt halt, NonMemberWelcome nonMember,
           WelcomeCard card, ConsentCheck consent) {
        this.consent = consent;
        this.nonMember = nonMember;
        this.card = card;
        this.givingUp = new GivingUp(work);
        this.halt = halt;
        halt.onResume(this::resume);
        this.outbox = reactiveMongoDatabase.getCollection(COLLECTION);
        this.api = api;
        this.queries = queries;
        this.clock = clock;
        this.template = properties.welcome();
    }

    /**
     * Queues the welcome for a new contact with {@code welcomeCode} (once per callback): a member's, filled with their
     * tier and points, or — {@code memberId} {@code null} — the non-member's, with its Mini Program card. The code is
     * valid 20 s; the deadline counts from when the callback was received here ({@code receivedAt}), not from WeCom's
     * {@code CreateTime}, so a node whose clock is off by a few seconds does not expire every welcome.
     */
    public void welcome(String callbackKey, String memberId, String welcomeCode, Instant receivedAt) {
        String text = memberId == null ? nonMember.text() : template;
        if (text == null || text.isBlank() || welcomeCode == null || welcomeCode.isBlank()) {
            return;
        }
        String id = "welcome|" + callbackKey;
        Document message = new Document("_id", id).append("kind", "welcome").append("memberId", memberId)
                .append("welcomeCode", welcomeCode)
                .append("deadline", Date.from(receivedAt.plus(WELCOME_CODE_VALIDITY)))
                .append("status", "pending").append("attempts", 0).append("revision", 1)
                .append("queuedAt", Date.from(clock.instant()));
        boolean queued = Boolean.TRUE.equals(FirstWrite.insert(outbox, message).block());
        if (queued) {
            schedule(id, Duration.ZERO);
        }
    }

    /** Wants {@code tagId} on (or off) staff member {@code staffUserId}'s contact entry of {@code externalUserId}. */
    public void tag(String tagId, String staffUserId, String externalUserId, boolean tagged, String memberId) {
        want(tagId, staffUserId, externalUserId, tagged, false, memberId);
    }

    private void want(String tagId, String staffUserId, String externalUserId, boolean tagged, boolean erasure,
                      String memberId) {
        String id = "tag|" + tagId + "|" + staffUserId + "|" + externalUserId;
        Mono.from(outbox.updateOne(Filters.eq("_id", id), Updates.combine(
                Updates.set("kind", "tag"), Updates.set("tagId", tagId), Updates.set("staffUserId", staffUserId),
                Updates.set("externalUserId", externalUserId), Updates.set("tagged", tagged),
                Updates.set("erasure", erasure), Updates.set("memberId", memberId),
                Updates.set("status", "pending"), Updates.set("queuedAt", Date.from(clock.instant())),
                Updates.unset("nextAttemptAt"), Updates.set("attempts", 0), Updates.inc("revision", 1)),
                new UpdateOptions().upsert(true))).block();
        schedule(id, Duration.ZERO);
    }

    /**
     * Takes {@code tagId} off staff member {@code staffUserId}'s contact entry of an erased member: the entry is
     * dropped once WeCom took the tag off, so the external user id goes with it.
     */
    public void untagErased(String tagId, String staffUserId, String externalUserId) {
        want(tagId, staffUserId, externalUserId, false, true, null);
    }

    /**
     * An erased member's entries go: welcomes for the member and tag changes for their external users are not sent
     * (except the erasure's own untagging).
     *
     * @return how many were dropped
     */
    public long forget(String memberId, java.util.Collection<String> externalUserIds) {
        long welcomes = Mono.from(outbox.deleteMany(Filters.and(Filters.eq("kind", "welcome"),
                Filters.eq("memberId", memberId)))).map(r -> r.getDeletedCount()).defaultIfEmpty(0L).block();
        long tags = externalUserIds.isEmpty() ? 0 : Mono.from(outbox.deleteMany(Filters.and(Filters.eq("kind", "tag"),
                Filters.in("externalUserId", externalUserIds), Filters.ne("erasure", true))))
                .map(r -> r.getDeletedCount()).defaultIfEmpty(0L).block();
        return welcomes + tags;
    }

    /** How many entries of one kind are in one state. */
    public record Summary(String kind, String status, long entries) {
    }

    /** @return the outbox by kind and status (a scan: for operators) */
    public List<Summary> summary() {
        return Flux.from(outbox.aggregate(List.of(new Document("$group", new Document("_id",
                        new Document("kind", "$kind").append("status", "$status"))
                        .append("entries", new Document("$sum", 1))))))
                .map(group -> {
                    Document key = group.get("_id", Document.class);
                    return new Summary(key.getString("kind"), key.getString("status"),
                            ((Number) group.get("entries")).longValue());
                })
                .collectList().block();
    }

    @EventListener(ApplicationReadyEvent.class)
    void resume() {
        workers.execute(() -> Flux.from(outbox.find(Filters.eq("status", "pending"))).toIterable().forEach(entry -> {
            Date next = entry.getDate("nextAttemptAt");
            Duration wait = next == null ? Duration.ZERO : Duration.between(clock.instant(), next.toInstant());
            schedule(entry.getString("_id"), wait.isNegative() ? Duration.ZERO
                    : wait.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : wait);
        }));
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    private void schedule(String id, Duration delay) {
        if (!workers.isShutdown()) {
            workers.schedule(() -> work(id), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void work(String id) {
        if (working.compute(id, (key, again) -> again == null ? Boolean.FALSE : Boolean.TRUE)) {
            return; // being worked on: it looks again when done
        }
        try {
            Mono.from(outbox.find(Filters.eq("_id", id)).first())
                    .filter(entry -> "pending".equals(entry.getString("status")))
                    .blockOptional()
                    .ifPresent(this::attempt);
        } catch (RuntimeException failure) {
            log.warn("An outbox entry could not be worked on, trying again later: {}", failure.toString());
            schedule(id, LONGEST_PAUSE);
        } finally {
            if (Boolean.TRUE.equals(working.remove(id))) {
                schedule(id, Duration.ZERO);
            }
        }
    }

    private void attempt(Document entry) {
        String id = entry.getString("_id");
        int revision = entry.getInteger("revision", 1);
        int attempts = entry.getInteger("attempts", 0) + 1;
        Instant deadline = entry.containsKey("deadline") ? entry.getDate("deadline").toInstant() : null;
        if (halted(id, revision, entry.getInteger("attempts", 0), deadline)) {
            return;
        }
        try {
            if (deadline != null && clock.instant().isAfter(deadline)) {
                settle(id, revision, attempts, "expired", "the welcome code expired before it could be sent", null);
                return;
            }
            if (entry.containsKey("welcomeCode") && entry.getString("memberId") == null) {
                api.sendWelcome(entry.getString("welcomeCode"), nonMember.text(),
                        card == null ? Optional.empty() : card.card());
            } else if (entry.containsKey("welcomeCode")) {
                String text = welcomeText(entry.getString("memberId"));
                if (text == null) {
                    settle(id, revision, attempts, "failed", "the member does not exist", null);
                    return;
                }
                api.sendWelcome(entry.getString("welcomeCode"), text);
            } else {
                List<String> tag = List.of(entry.getString("tagId"));
                boolean tagged = entry.getBoolean("tagged", true);
                if (tagged && entry.getString("memberId") != null
                        && !consent.allows(entry.getString("memberId"), ConsentCheck.MARKETING)) {
                    // the member withdrew (or never gave) marketing consent since this was queued
                    settle(id, revision, attempts, "withheld", "no marketing consent", null);
                    return;
                }
                api.markTag(entry.getString("staffUserId"), entry.getString("externalUserId"),
                        tagged ? tag : List.of(), tagged ? List.of() : tag);
            }
            if (entry.getBoolean("erasure", false)) {
                Mono.from(outbox.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("revision", revision))))
                        .block();
                return;
            }
            settle(id, revision, attempts, "sent", null, null);
        } catch (WxErrorException | RuntimeException failure) {
            Integer errcode = WeComApi.errcode(failure);
            String reason = errcode == null ? failure.getClass().getSimpleName() : "WeCom errcode " + errcode;
            switch (WeComErrors.verdict(errcode)) {
                case FINAL -> settle(id, revision, attempts, WeComErrors.finalStatus(errcode), reason, null);
                case OPERATOR -> {
                    halt.halt(errcode);
                    halted(id, revision, attempts - 1, deadline); // not an attempt of this entry's
                }
                case RETRY -> retryLater(entry, id, revision, attempts, deadline, reason);
            }
        }
    }

    /**
     * While WeCom work is halted for an operator, an entry waits without counting an attempt (a welcome whose code
     * expires meanwhile is settled expired).
     *
     * @return whether it is halted
     */
    private boolean halted(String id, int revision, int attempts, Instant deadline) {
        if (!halt.halted()) {
            return false;
        }
        Instant next = clock.instant().plus(Duration.ofMinutes(1));
        if (deadline != null && next.isAfter(deadline)) {
            settle(id, revision, Math.max(attempts, 1), "expired", "WeCom work is halted for an operator and the "
                    + "welcome code expires first", null);
        } else {
            // no next attempt time: when the halt lifts every waiting entry is taken up at once
            settle(id, revision, attempts, "pending", "WeCom work is halted for an operator", null);
            schedule(id, Duration.ofMinutes(1));
        }
        return true;
    }

    private void retryLater(Document entry, String id, int revision, int attempts, Instant deadline, String reason) {
        Instant now = clock.instant();
        Date queuedAt = entry.getDate("queuedAt");
        if (givingUp.givesUp(attempts, queuedAt == null ? null : queuedAt.toInstant(), now)) {
            log.error("Gave up an outbox entry after {} attempts ({}); it waits in the dead letters of wecom-outbox",
                    attempts, reason);
            settle(id, revision, attempts, DEAD, reason, null);
            return;
        }
        Duration pause = givingUp.pause(attempts);
        Instant next = now.plus(pause);
        if (deadline != null && next.isAfter(deadline)) {
            settle(id, revision, attempts, "expired", reason + ", and the welcome code expires before a retry", null);
            return;
        }
        log.info("WeCom refused an outbox entry for now ({}), attempt {}, next in {} ms", reason, attempts,
                pause.toMillis());
        settle(id, revision, attempts, "pending", reason, next);
        schedule(id, pause);
    }

    @Override
    public String name() {
        return "wecom-outbox";
    }

    @Override
    public long dead() {
        return Mono.from(outbox.countDocuments(Filters.eq("status", DEAD))).block();
    }

    @Override
    public List<Entry> first(int limit) {
        return Flux.from(outbox.find(Filters.eq("status", DEAD)).sort(Sorts.ascending("settledAt")).limit(limit))
                .map(entry -> new Entry(entry.getString("kind") + "#" + Integer.toHexString(
                        entry.getString("_id").hashCode()), entry.getString("kind"), entry.getInteger("attempts", 0),
                        instant(entry.getDate("queuedAt")), instant(entry.getDate("settledAt")),
                        entry.getString("lastError")))
                .collectList().block();
    }

    @Override
    public int retryDead() {
        List<String> ids = Flux.from(outbox.find(Filters.eq("status", DEAD))).map(entry -> entry.getString("_id"))
                .collectList().block();
        Date now = Date.from(clock.instant());
        for (String id : ids) {
            Mono.from(outbox.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", DEAD)),
                    Updates.combine(Updates.set("status", "pending"), Updates.set("attempts", 0),
                            Updates.set("queuedAt", now), Updates.unset("nextAttemptAt")))).block();
            schedule(id, Duration.ZERO);
        }
        return ids.size();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private String welcomeText(String memberId) {
        MemberStandingView standing = queries.query(new FindMemberStanding(memberId), MemberStandingView.class)
                .orTimeout(5, TimeUnit.SECONDS).join();
        if (standing == null) {
            return null;
        }
        return template.replace("{tier}", standing.tierName()).replace("{tierEn}", standing.tierNameEn())
                .replace("{points}", String.valueOf(standing.balance()));
    }

    /** Records the attempt on the revision it was made for; a newer revision keeps its own state. */
    private void settle(String id, int revision, int attempts, String status, String reason, Instant next) {
        Bson settled = Updates.combine(Updates.set("status", status), Updates.set("attempts", attempts),
                reason == null ? Updates.unset("lastError") : Updates.set("lastError", reason),
                next == null ? Updates.unset("nextAttemptAt") : Updates.set("nextAttemptAt", Date.from(next)),
                Updates.set("settledAt", Date.from(clock.instant())));
        Mono.from(outbox.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("revision", revision)), settled))
                .block();
    }
}
