package io.siyu.wecom.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.callback.CallbackTranslator;
import io.siyu.wecom.callback.Relationships;
import io.siyu.wecom.config.WeComProperties;
import io.siyu.wecom.store.FirstWrite;
import io.siyu.wecom.tags.CorpTags;
import io.siyu.wecom.work.GivingUp;
import io.siyu.wecom.work.WorkProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads WeCom's own state and records what Siyu is missing — WeCom gives up on a callback after a few retries within
 * seconds, so a deploy, an election or a restart loses the facts of those seconds for good. A run reads the staff who
 * have customer contact ({@code get_follow_user_list}), each one's relationships page by page
 * ({@code batch/get_by_user}: the external user, WeCom's add time, the corp tag ids), then every customer group
 * ({@code groupchat/list} + {@code groupchat/get}). Each relationship is recorded as a contact keyed by the
 * relationship (a callback's fact is not doubled, in either order) with its corp tags; a relationship Siyu holds as
 * current that WeCom no longer lists is recorded as ended; a group's members are reconciled with the ones held. Facts
 * found are marked as found ({@code foundAt}) on the timeline. People who are no members are counted, not recorded.
 * <p>
 * One run at a time across nodes ({@code wecom_reconciliations}: the runs, and a lock with a lease renewed as the run
 * goes); a run keeps its cursor (staff member, group page), so a node that stops or dies leaves it to the next, which
 * resumes it; a run that keeps failing is given up ({@code failed}) as the bridge's one giving-up policy says. Calls go
 * through {@link WeComApi}'s rate limiter, below WeCom's quotas. Runs after start-up, on a
 * schedule (nightly at 03:00 Asia/Shanghai by default) and when an operator asks.
 */
@Component
public class Reconciliation implements DisposableBean {

    static final String COLLECTION = "wecom_reconciliations";
    private static final String LOCK = "lock";
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final MongoCollection<Document> runs;
    private final WeComApi api;
    private final CallbackTranslator translator;
    private final Relationships relationships;
    private final CorpTags corpTags;
    private final Clock clock;
    private final ReconciliationProperties properties;
    private final GivingUp givingUp;
    private final boolean weComConfigured;
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-reconciliation");
        thread.setDaemon(true);
        return thread;
    });

    Reconciliation(MongoDatabase reactiveMongoDatabase, WeComApi api, CallbackTranslator translator,
                   Relationships relationships, CorpTags corpTags, Clock clock, ReconciliationProperties properties,
                   WeComProperties weCom, WorkProperties work) {
        this.givingUp = new GivingUp(work);
        this.runs = reactiveMongoDatabase.getCollection(COLLECTION);
        this.api = api;
        this.translator = translator;
        this.relationships = relationships;
        this.corpTags = corpTags;
        this.clock = clock;
        this.properties = properties;
        this.weComConfigured = weCom.apiConfigured();
    }

    /** A run as operators see it. */
    public record Run(String runId, String state, String trigger, Instant startedAt, Instant finishedAt, String phase,
                      int staffDone, int staffTotal, long relationshipsSeen, long groupsSeen, long recorded,
                      long notMembers, String lastError) {
    }

    /** Why no run was started. */
    public static final class NotRunning extends RuntimeException {
        public NotRunning(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What starting a run did: a new run, or the one already running. */
    public record Started(Run run, boolean alreadyRunning) {
    }

    /**
     * Starts a run, or answers the one running.
     *
     * @throws NotRunning when reconciliation is disabled or WeCom is not configured
     */
    public Started start(String trigger) {
        if (!properties.enabled() || !weComConfigured) {
            throw new NotRunning(!properties.enabled()
                    ? "reconciliation is disabled (siyu.wecom.reconciliation.enabled)"
                    : "WeCom's API is not configured (siyu.wecom.corp-id, .secret)");
        }
        Instant now = clock.instant();
        String runId = "rc-" + now.toEpochMilli();
        Optional<String> held = acquire(runId, now);
        if (held.isPresent()) {
            return new Started(find(held.get()).orElseThrow(), true);
        }
        Document run = new Document("_id", runId).append("kind", "run").append("state", "running")
                .append("trigger", trigger).append("startedAt", Date.from(now)).append("phase", "contacts")
                .append("staffIndex", 0).append("staffTotal", 0).append("relationshipsSeen", 0L)
                .append("groupsSeen", 0L).append("recorded", 0L).append("notMembers", 0L);
        Mono.from(runs.insertOne(run)).block();
        runner.execute(() -> work(runId));
        log.info("WeCom reconciliation {} started ({})", runId, trigger);
        return new Started(find(runId).orElseThrow(), false);
    }

    public Optional<Run> find(String runId) {
        return Mono.from(runs.find(Filters.and(Filters.eq("_id", runId), Filters.eq("kind", "run"))).first())
                .map(Reconciliation::run).blockOptional();
    }

    /** @return the latest runs, newest first (a scan of the run list: one document per run) */
    public List<Run> recent(int limit) {
        return Flux.from(runs.find(Filters.eq("kind", "run")).sort(Sorts.descending("startedAt")).limit(limit))
                .map(Reconciliation::run).collectList().block();
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        if (!properties.enabled() || !weComConfigured) {
            return;
        }
        if (properties.onStart()) {
            runner.schedule(() -> startQuietly("start-up"), properties.startDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
        scheduleNext();
        // a run whose node stopped or died is taken over once its lease has run out
        long check = Math.max(1_000, properties.lease().toMillis() / 2);
        runner.scheduleWithFixedDelay(this::takeOver, check, check, TimeUnit.MILLISECONDS);
    }

    private void scheduleNext() {
        if ("-".equals(properties.cron()) || runner.isShutdown()) {
            return;
        }
        ZonedDateTime now = clock.instant().atZone(ZoneId.of(properties.zone()));
        ZonedDateTime next = CronExpression.parse(properties.cron()).next(now);
        if (next == null) {
            return;
        }
        runner.schedule(() -> {
            startQuietly("schedule");
            scheduleNext();
        }, Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void startQuietly(String trigger) {
        try {
            start(trigger);
        } catch (RuntimeException failure) {
            log.warn("WeCom reconciliation could not start ({}): {}", trigger, failure.toString());
        }
    }

    private void takeOver() {
        try {
            Document lock = Mono.from(runs.find(Filters.eq("_id", LOCK)).first()).block();
            if (lock == null || lock.getString("runId") == null) {
                return;
            }
            String runId = lock.getString("runId");
            Optional<Run> run = find(runId);
            if (run.isEmpty() || !"running".equals(run.get().state())) {
                return;
            }
            Instant now = clock.instant();
            Document taken = Mono.from(runs.findOneAndUpdate(Filters.and(Filters.eq("_id", LOCK),
                            Filters.eq("runId", runId), Filters.lte("leaseUntil", Date.from(now))),
                    Updates.set("leaseUntil", Date.from(now.plus(properties.lease()))))).block();
            if (taken != null) {
                log.info("Resuming WeCom reconciliation {}: the node running it stopped", runId);
                work(runId);
            }
        } catch (RuntimeException failure) {
            log.warn("Could not check the running WeCom reconciliation: {}", failure.toString());
        }
    }

    /** @return the run holding the lock, or empty when this one got it */
    private Optional<String> acquire(String runId, Instant now) {
        Date leaseUntil = Date.from(now.plus(properties.lease()));
        if (Boolean.TRUE.equals(FirstWrite.insert(runs, new Document("_id", LOCK).append("runId", runId)
                .append("leaseUntil", leaseUntil)).block())) {
            return Optional.empty();
        }
        Document lock = Mono.from(runs.find(Filters.eq("_id", LOCK)).first()).block();
        String current = lock == null ? null : lock.getString("runId");
        boolean live = current != null && find(current).map(run -> "running".equals(run.state())).orElse(false)
                && lock.getDate("leaseUntil").toInstant().isAfter(now);
        if (live) {
            return Optional.of(current);
        }
        Document taken = Mono.from(runs.findOneAndUpdate(Filters.and(Filters.eq("_id", LOCK),
                        current == null ? Filters.exists("runId", false) : Filters.eq("runId", current)),
                Updates.combine(Updates.set("runId", runId), Updates.set("leaseUntil", leaseUntil)))).block();
        return taken == null ? Optional.ofNullable(current) : Optional.empty();
    }

    /** Runs (or resumes) a run from its cursor to the end. */
    private void work(String runId) {
        Instant foundAt = clock.instant();
        try {
            Document run = Mono.from(runs.find(Filters.eq("_id", runId)).first()).block();
            if ("contacts".equals(run.getString("phase"))) {
                corpTags.refresh();
                List<String> staff = new ArrayList<>(api.followUsers());
                staff.sort(null);
                save(runId, Updates.set("staffTotal", staff.size()));
                for (int index = run.getInteger("staffIndex", 0); index < staff.size(); index++) {
                    reconcileStaff(runId, staff.get(index), foundAt);
                    save(runId, Updates.set("staffIndex", index + 1));
                }
                save(runId, Updates.combine(Updates.set("phase", "groups"), Updates.unset("groupCursor")));
                run = Mono.from(runs.find(Filters.eq("_id", runId)).first()).block();
            }
            if ("groups".equals(run.getString("phase"))) {
                String cursor = run.getString("groupCursor");
                do {
                    WeComApi.GroupChatPage page = api.groupChats(cursor);
                    long recorded = 0;
                    long notMembers = 0;
                    for (String chatId : page.chatIds()) {
                        CallbackTranslator.Reconciled done = translator.reconcileGroup(chatId);
                        recorded += done.recorded();
                        notMembers += done.unlinked();
                    }
                    cursor = page.nextCursor();
                    save(runId, Updates.combine(Updates.inc("groupsSeen", (long) page.chatIds().size()),
                            Updates.inc("recorded", recorded), Updates.inc("notMembers", notMembers),
                            cursor == null ? Updates.unset("groupCursor") : Updates.set("groupCursor", cursor)));
                } while (cursor != null);
            }
            Mono.from(runs.updateOne(Filters.eq("_id", runId), Updates.combine(Updates.set("state", "done"),
                    Updates.set("phase", "done"), Updates.set("finishedAt", Date.from(clock.instant()))))).block();
            Mono.from(runs.updateOne(Filters.and(Filters.eq("_id", LOCK), Filters.eq("runId", runId)),
                    Updates.unset("runId"))).block();
            find(runId).ifPresent(done -> log.info("WeCom reconciliation {} done: {} relationships, {} groups, {} "
                    + "facts recorded, {} people who are no members", runId, done.relationshipsSeen(),
                    done.groupsSeen(), done.recorded(), done.notMembers()));
        } catch (LostLock lost) {
            log.info("WeCom reconciliation {} is being run by another node", runId);
        } catch (WxErrorException | RuntimeException failure) {
            Integer errcode = WeComApi.errcode(failure);
            String error = failure.getClass().getSimpleName() + (errcode == null ? "" : " errcode " + errcode);
            try {
                Document failed = Mono.from(runs.findOneAndUpdate(Filters.eq("_id", runId), Updates.combine(
                                Updates.set("lastError", error), Updates.inc("failures", 1)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).block();
                Date startedAt = failed == null ? null : failed.getDate("startedAt");
                int failures = failed == null ? 1 : failed.getInteger("failures", 1);
                if (givingUp.givesUp(failures, startedAt == null ? null : startedAt.toInstant(), clock.instant())) {
                    // the bridge's one giving-up policy: the next scheduled (or an operator's) run starts afresh
                    Mono.from(runs.updateOne(Filters.eq("_id", runId), Updates.combine(Updates.set("state", "failed"),
                            Updates.set("finishedAt", Date.from(clock.instant()))))).block();
                    Mono.from(runs.updateOne(Filters.and(Filters.eq("_id", LOCK), Filters.eq("runId", runId)),
                            Updates.unset("runId"))).block();
                    log.error("Gave up WeCom reconciliation {} after {} failures ({})", runId, failures, error);
                } else {
                    log.warn("WeCom reconciliation {} stopped ({}); it resumes from its cursor once its lease runs "
                            + "out", runId, error);
                }
            } catch (RuntimeException unreachable) {
                log.warn("WeCom reconciliation {} stopped ({}) and the store cannot be reached; the next check "
                        + "resumes it", runId, error);
            }
        }
    }

    /** One staff member's relationships: each recorded (once), then the ones Siyu holds that WeCom no longer lists. */
    private void reconcileStaff(String runId, String staff, Instant foundAt) throws WxErrorException {
        Instant readFrom = clock.instant();
        Set<String> listed = new HashSet<>();
        String cursor = null;
        do {
            WeComApi.RelationshipPage page = api.relationships(staff, cursor);
            long recorded = 0;
            long notMembers = 0;
            // a page's relationships are recorded side by side, each in its person's lane
            List<CompletableFuture<CallbackTranslator.Reconciled>> pending = new ArrayList<>();
            for (WeComApi.Relationship relationship : page.relationships()) {
                listed.add(relationship.externalUserId());
                if (relationship.addedAt() == null) {
                    continue; // no add time: no key to record it by
                }
                List<String> tags = new ArrayList<>();
                for (String tagId : relationship.tagIds()) {
                    corpTags.find(tagId).ifPresent(tag -> tags.add(tag.name()));
                }
                pending.add(translator.reconcileContact(staff, relationship.externalUserId(),
                        relationship.unionid(), relationship.addedAt(), relationship.state(), tags,
                        "reconcile|" + runId + "|" + staff + "|" + relationship.externalUserId(), foundAt));
            }
            for (CompletableFuture<CallbackTranslator.Reconciled> each : pending) {
                CallbackTranslator.Reconciled done;
                try {
                    done = each.join();
                } catch (java.util.concurrent.CompletionException failed) {
                    throw failed.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(failed.getCause());
                }
                recorded += done.recorded();
                notMembers += done.unlinked();
            }
            cursor = page.nextCursor();
            save(runId, Updates.combine(Updates.inc("relationshipsSeen", (long) page.relationships().size()),
                    Updates.inc("recorded", recorded), Updates.inc("notMembers", notMembers)));
        } while (cursor != null);
        long ended = 0;
        for (Relationships.Held held : relationships.activeOf(staff)) {
            // one added while this staff member was being read may not be listed yet: left to the next run
            if (!listed.contains(held.externalUserId()) && held.addedAt().isBefore(readFrom.minusSeconds(60))) {
                ended += translator.reconcileRemoval(held, foundAt).recorded();
            }
        }
        if (ended > 0) {
            save(runId, Updates.inc("recorded", ended));
        }
    }

    /** Saves progress and renews the lease; stops when another node has taken the run over. */
    private void save(String runId, Bson progress) {
        Date leaseUntil = Date.from(clock.instant().plus(properties.lease()));
        Document lock = Mono.from(runs.findOneAndUpdate(Filters.and(Filters.eq("_id", LOCK),
                        Filters.eq("runId", runId)), Updates.set("leaseUntil", leaseUntil),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).block();
        if (lock == null) {
            throw new LostLock();
        }
        Mono.from(runs.updateOne(Filters.eq("_id", runId), progress)).block();
    }

    private static final class LostLock extends RuntimeException {
        LostLock() {
            super(null, null, false, false);
        }
    }

    private static Run run(Document document) {
        return new Run(document.getString("_id"), document.getString("state"), document.getString("trigger"),
                instant(document.getDate("startedAt")), instant(document.getDate("finishedAt")),
                document.getString("phase"), document.getInteger("staffIndex", 0),
                document.getInteger("staffTotal", 0), number(document, "relationshipsSeen"),
                number(document, "groupsSeen"), number(document, "recorded"), number(document, "notMembers"),
                document.getString("lastError"));
    }

    private static long number(Document document, String field) {
        Object value = document.get(field);
        return value instanceof Number number ? number.longValue() : 0;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
