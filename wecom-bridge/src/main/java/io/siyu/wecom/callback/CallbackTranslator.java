package io.siyu.wecom.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComContactRemoved;
import io.siyu.api.wecom.RecordWeComGroupChange;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComGroupLeft;
import io.siyu.api.wecom.RecordWeComTags;
import io.siyu.api.wecom.WeComGroupChange;
import io.siyu.api.wecom.WeComRemoval;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.api.WeComErrors;
import io.siyu.wecom.api.WeComHalt;
import io.siyu.wecom.config.WeComProperties;
import io.siyu.wecom.identity.UnionidDirectory;
import io.siyu.wecom.identity.UnionidRegistered;
import io.siyu.wecom.outbox.Outbox;
import io.siyu.wecom.tags.CorpTags;
import io.siyu.wecom.work.WorkProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Mono;

/**
 * Turns logged callbacks into commands, after WeCom has been answered: on the member stream, contact added / removed,
 * the tags a staff member's entry carries (re-read on {@code edit_external_contact}) and group members joined / left;
 * on the group's own stream, created / renamed / owner or notice changed / dismissed (a dismissal also records every
 * member held as leaving). {@code change_external_tag} re-reads the corp's tag list. The external user is linked to
 * a member by the unionid WeCom reports for them ({@code externalcontact/get}, or the group member list) and the
 * member who registered with it; the link is kept ({@code wecom_links}). Each command carries the callback's dedupe
 * key (per member for group changes), so translating a callback twice records nothing twice.
 * <p>
 * Every translation is durable work ({@link CallbackWork}) queued before WeCom is answered, run here in lanes and
 * claimed with a lease, so a restart or a node that dies loses none; a failure waits and is given up as the bridge's
 * one giving-up policy says. A callback whose translation is a re-read of WeCom's state (a contact edit, a group's
 * name or owner, the corp's tags) that arrives again under a key already logged — two edits in one second look alike
 * — is read again (coalesced: a burst costs one more read); other kinds carry their own facts and stay deduplicated.
 * <p>
 * A callback whose user has no member yet is settled {@code unlinked} and remembered under the user's unionid
 * ({@code wecom_unlinked}); when a member registers with that unionid the callbacks are queued again (durably, before
 * the note is dropped), so the person's WeCom history joins the member's timeline.
 */
@Component
public class CallbackTranslator implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CallbackTranslator.class);
    /** Due entries read per poll. */
    private static final int POLL_BATCH = 500;

    private final CallbackLog callbacks;
    private final CallbackWork work;
    private final WeComApi api;
    private final UnionidDirectory unionids;
    private final CommandGateway commands;
    private final Outbox outbox;
    private final MongoCollection<Document> links;
    private final MongoCollection<Document> chats;
    private final MongoCollection<Document> unlinked;
    private final CorpTags corpTags;
    private final Relationships relationships;
    private final Clock clock;
    private final WeComHalt halt;
    private final Duration pollInterval;
    /** Entries queued on or running in this node's lanes (another request for one of them waits for the poll). */
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    /**
     * Translation lanes: a callback goes to the lane of the person (contact changes) or group (chat changes) it is
     * about, so one person's or one group's callbacks are translated in the order they came, while others' run beside
     * them (each translation waits on WeCom's API and the member's command).
     */
    private final ScheduledExecutorService[] lanes;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-work-poller");
        thread.setDaemon(true);
        return thread;
    });

    CallbackTranslator(CallbackLog callbacks, CallbackWork work, WeComApi api, UnionidDirectory unionids,
                       CommandGateway commands, MongoDatabase reactiveMongoDatabase, Clock clock, Outbox outbox,
                       CorpTags corpTags, WeComProperties properties, WorkProperties workProperties, WeComHalt halt,
                       Relationships relationships) {
        this.halt = halt;
        this.relationships = relationships;
        halt.onResume(() -> poller.execute(this::poll));
        this.lanes = new ScheduledExecutorService[properties.translationLanes()];
        for (int lane = 0; lane < lanes.length; lane++) {
            String name = "siyu-wecom-translator-" + lane;
            lanes[lane] = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
        }
        this.work = work;
        this.pollInterval = workProperties.pollInterval();
        this.outbox = outbox;
        this.corpTags = corpTags;
        this.unlinked = reactiveMongoDatabase.getCollection("wecom_unlinked");
        this.clock = clock;
        this.chats = reactiveMongoDatabase.getCollection("wecom_chats");
        this.callbacks = callbacks;
        this.api = api;
        this.unionids = unionids;
        this.commands = commands;
        this.links = reactiveMongoDatabase.getCollection("wecom_links");
    }

    /**
     * Takes on a verified callback just appended to the log: its translation is durable work before this completes
     * (and so before WeCom is answered). A new callback is queued; a repeat of a re-read kind is queued again; a repeat
     * of another kind is queued only if it was never translated (the node that logged it stopped first).
     *
     * @param isNew whether the append wrote the callback ({@code false}: its key was logged before)
     */
    public Mono<Void> accept(CallbackMessage message, boolean isNew) {
        String key = message.dedupeKey();
        String about = about(message);
        Mono<Boolean> queued = isNew ? work.queue(key, about, false).thenReturn(true)
                : rereads(message) ? work.queue(key, about, true).thenReturn(true)
                : callbacks.translated(key).flatMap(done -> done ? Mono.just(false)
                        : work.queue(key, about, false).thenReturn(true));
        return queued.doOnNext(queue -> {
            if (queue) {
                runSoon(key, about);
            }
        }).then();
    }

    /**
     * Translates every logged callback again (after a fix in translation): facts already recorded are recognised by
     * their keys and write nothing; what was missed or unlinked is recorded now.
     *
     * @return how many callbacks were queued
     */
    public int replayAll() {
        List<CallbackMessage> all = callbacks.all();
        all.forEach(message -> {
            work.queue(message.dedupeKey(), about(message), true).block();
            runSoon(message.dedupeKey(), about(message));
        });
        return all.size();
    }

    /**
     * Queues again the callbacks about a person who had no member until now: durably, before the note of them is
     * dropped, so a stop in between repeats the queueing (harmless) instead of losing it.
     */
    @EventListener
    void link(UnionidRegistered registered) {
        Mono.from(unlinked.find(Filters.eq("_id", unionids.keyOf(registered.unionid()))).first()).blockOptional()
                .ifPresent(waiting -> {
                    List<String> keys = waiting.getList("callbacks", String.class, List.of());
                    for (String key : keys) {
                        callbacks.find(key).ifPresent(message -> work.queue(key, about(message), true).block());
                    }
                    Mono.from(unlinked.updateOne(Filters.eq("_id", unionids.keyOf(registered.unionid())),
                            Updates.pullAll("callbacks", keys))).block();
                    Mono.from(unlinked.deleteOne(Filters.and(Filters.eq("_id", unionids.keyOf(registered.unionid())),
                            Filters.size("callbacks", 0)))).block();
                    for (String key : keys) {
                        callbacks.find(key).ifPresent(message -> runSoon(key, about(message)));
                    }
                });
    }

    /** Moves callbacks logged before translation was durable work into it (once), then polls for due work. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        poller.execute(() -> {
            try {
                if (!work.marked("untranslated-moved")) {
                    for (CallbackMessage message : callbacks.untranslated()) {
                        work.queue(message.dedupeKey(), about(message), false).block();
                    }
                    work.mark("untranslated-moved");
                }
            } catch (RuntimeException failure) {
                log.warn("Could not move untranslated callbacks into the work queue yet: {}", failure.toString());
            }
        });
        poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            for (CallbackWork.Due due : work.due(POLL_BATCH)) {
                runSoon(due.dedupeKey(), due.about() == null ? "corp" : due.about());
            }
        } catch (RuntimeException failure) {
            log.warn("Could not read the WeCom work queue, trying at the next poll: {}", failure.toString());
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        for (ScheduledExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }

    private void runSoon(String key, String about) {
        if (local.add(key)) {
            try {
                lane(about).execute(() -> run(key, about));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                local.remove(key); // stopping: the entry stays queued for the next start
            }
        }
    }

    /** Claims the entry, translates it (again while asked for meanwhile) and settles it, or records the failure. */
    private void run(String key, String about) {
        try {
            while (true) {
                if (halt.halted()) {
                    lane(about).schedule(() -> runSoon(key, about), 1, TimeUnit.MINUTES);
                    return; // stopped for an operator: nothing is attempted or counted
                }
                Optional<Document> claimed = work.claim(key);
                if (claimed.isEmpty()) {
                    return; // done, given up, or held by another node
                }
                Optional<CallbackMessage> message = callbacks.find(key);
                try {
                    if (message.isPresent()) {
                        callbacks.settle(key, translate(message.get()));
                    }
                } catch (RuntimeException | WxErrorException failure) {
                    if (Thread.currentThread().isInterrupted()) {
                        work.release(key); // a normal stop: the next node or start does it
                        return;
                    }
                    Integer errcode = WeComApi.errcode(failure);
                    if (WeComErrors.verdict(errcode) == WeComErrors.Verdict.OPERATOR) {
                        halt.halt(errcode);
                        work.release(key); // not an attempt of this callback's: it waits for the halt to lift
                        lane(about).schedule(() -> runSoon(key, about), 1, TimeUnit.MINUTES);
                        return;
                    }
                    String error = failure.getClass().getSimpleName() + (errcode == null ? "" : " errcode " + errcode);
                    // an id that names another kind of record (a chat id equal to a reward's) never succeeds
                    boolean never = neverSucceeds(failure);
                    Optional<Duration> pause = never ? work.givenUp(claimed.get(), error)
                            : work.failed(claimed.get(), error);
                    if (pause.isPresent()) {
                        log.warn("Translating a WeCom callback failed ({}), retrying in {} s", error,
                                pause.get().toSeconds());
                        lane(about).schedule(() -> runSoon(key, about), pause.get().toMillis(),
                                TimeUnit.MILLISECONDS);
                    } else {
                        log.error("Gave up translating a WeCom callback after its attempts ({}); it waits in the "
                                + "dead letters of wecom-translation", error);
                    }
                    return;
                }
                if (work.finish(key)) {
                    return;
                }
            }
        } catch (RuntimeException failure) {
            log.warn("The WeCom work queue could not be reached ({}); the poll picks the entry up again",
                    failure.toString());
        } finally {
            local.remove(key);
        }
    }

    /**
     * @return whether a failure can never succeed however often it is tried: the aggregate the command names is
     *         another kind of record (Axon's {@code IncompatibleAggregateException}, by name: the bridge does not
     *         depend on Axon's event sourcing), anywhere in the cause chain
     */
    private static boolean neverSucceeds(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if ("IncompatibleAggregateException".equals(cause.getClass().getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the callback's translation is a re-read of WeCom's state, so that a second callback under the
     *         same key (two changes in one second) must read again
     */
    static boolean rereads(CallbackMessage message) {
        String event = message.field("Event");
        String change = message.field("ChangeType");
        if ("change_external_contact".equals(event)) {
            return "edit_external_contact".equals(change);
        }
        if ("change_external_chat".equals(event)) {
            String detail = message.field("UpdateDetail");
            return "update".equals(change) && ("change_name".equals(detail) || "change_owner".equals(detail));
        }
        return "change_external_tag".equals(event);
    }

    private static String about(CallbackMessage message) {
        return message.field("ChatId") != null ? message.field("ChatId")
                : message.field("ExternalUserID") != null ? message.field("ExternalUserID") : "corp";
    }

    private ScheduledExecutorService lane(String about) {
        return lanes[Math.floorMod(about.hashCode(), lanes.length)];
    }

    /** What one reconciliation step recorded: facts written, and people not linked to a member. */
    public record Reconciled(int recorded, int unlinked) {
    }

    /**
     * Reconciliation found WeCom listing a relationship: records the contact (keyed by the relationship, so one a
     * callback recorded is not doubled) dated by WeCom's add time and marked found, and the corp tags on it. Runs in
     * the external user's lane, in order with that person's callbacks. A person who is no member is left out (the
     * next run finds them once they register).
     */
    public java.util.concurrent.CompletableFuture<Reconciled> reconcileContact(String staff, String external,
            String unionid, Instant addedAt, String state, List<String> tagNames, String tagFactKey, Instant foundAt) {
        return onLaneLater(external, () -> {
            Optional<String> member = knownMember(external, unionid);
            if (member.isEmpty()) {
                return new Reconciled(0, 1);
            }
            int recorded = 0;
            Optional<Relationships.Held> held = relationships.find(staff, external);
            boolean endedSince = held.isPresent() && held.get().removedAt() != null
                    && held.get().removedAt().isAfter(addedAt);
            Optional<Instant> current = currentStart(staff, external, addedAt);
            if (!endedSince) {
                Instant start = current.orElse(addedAt);
                recorded += commands.<io.siyu.api.wecom.WeComFactResult>sendAndWait(new RecordWeComContactAdded(
                        member.get(), ContactKeys.added(staff, external, start), staff, external,
                        blankToNull(state), addedAt, foundAt, ContactKeys.halfAdded(staff, external, addedAt)))
                        .recorded() ? 1 : 0;
                if (current.isEmpty()) {
                    relationships.added(staff, external, addedAt, member.get());
                }
            }
            recorded += commands.<io.siyu.api.wecom.WeComFactResult>sendAndWait(new RecordWeComTags(member.get(),
                    tagFactKey, staff, tagNames, foundAt)).recorded() ? 1 : 0;
            return new Reconciled(recorded, 0);
        });
    }

    /**
     * Reconciliation found a relationship Siyu holds as current that WeCom no longer lists: records its end, keyed by
     * the relationship (a removal callback for it, earlier or later, is the same fact), dated and marked as found
     * (WeCom keeps no time for an ended relationship).
     */
    public Reconciled reconcileRemoval(Relationships.Held ended, Instant foundAt) {
        return onLane(ended.externalUserId(), () -> {
            Optional<Relationships.Held> now = relationships.find(ended.staffUserId(), ended.externalUserId());
            if (now.isEmpty() || !now.get().active() || !now.get().addedAt().equals(ended.addedAt())
                    || now.get().memberId() == null) {
                return new Reconciled(0, 0); // a callback moved it meanwhile
            }
            boolean recorded = commands.<io.siyu.api.wecom.WeComFactResult>sendAndWait(new RecordWeComContactRemoved(
                    now.get().memberId(), ContactKeys.removed(ended.staffUserId(), ended.externalUserId(),
                    ended.addedAt()), ended.staffUserId(), ended.externalUserId(), null, foundAt, foundAt, null))
                    .recorded();
            relationships.endFound(ended.staffUserId(), ended.externalUserId(), foundAt, now.get().memberId());
            return new Reconciled(recorded ? 1 : 0, 0);
        });
    }

    /**
     * Reconciliation reads a group again and records whom WeCom lists that the bridge did not hold (joined, dated by
     * WeCom's join time) and whom it held that WeCom no longer lists (left, dated when found); both marked found. Runs
     * in the group's lane, in order with its callbacks.
     */
    public Reconciled reconcileGroup(String chatId) {
        return onLane(chatId, () -> {
            Optional<WeComApi.GroupChat> now = api.groupChat(chatId);
            if (now.isEmpty()) {
                return new Reconciled(0, 0);
            }
            Set<String> held = held(chatId).map(CallbackTranslator::members).orElseGet(LinkedHashSet::new);
            long before = held.size();
            Set<String> listed = now.get().externalMembers().keySet();
            int changed = (int) (listed.stream().filter(external -> !held.contains(external)).count()
                    + held.stream().filter(external -> !listed.contains(external)).count());
            int unlinkedMembers = changed == 0 ? 0
                    : reconcile(chatId, held, now.get(), List.of(), "reconciliation", true);
            hold(chatId, now.get().memberVersion(), listed);
            return new Reconciled(changed - unlinkedMembers, unlinkedMembers);
        });
    }

    /**
     * Two readings of one relationship's add time may differ by this much: the callback's {@code CreateTime} and
     * {@code follow_info.createtime} are not promised to be the same second (unconfirmed either way). Kept small, as a
     * contact removed and added again a few seconds later is a new relationship.
     */
    private static final Duration SAME_START = Duration.ofSeconds(2);

    /**
     * @return the add time Siyu holds for the staff member's current relationship with the external user when
     *         {@code addedAt} is that same relationship's (within {@link #SAME_START}): WeCom's callback
     *         {@code CreateTime} and {@code follow_info.createtime} are not promised to be the same second
     */
    private Optional<Instant> currentStart(String staff, String external, Instant addedAt) {
        return relationships.find(staff, external).filter(Relationships.Held::active).map(Relationships.Held::addedAt)
                .filter(held -> !held.equals(addedAt)
                        && Duration.between(held, addedAt).abs().compareTo(SAME_START) <= 0);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private interface LaneWork<T> {
        T run() throws WxErrorException;
    }

    /** Runs {@code work} in the lane of {@code about} (in order with callbacks); the future completes with it. */
    private <T> java.util.concurrent.CompletableFuture<T> onLaneLater(String about, LaneWork<T> work) {
        java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
        lane(about).execute(() -> {
            try {
                done.complete(work.run());
            } catch (Exception | Error failure) {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** Runs {@code work} in the lane of {@code about} and waits for it (so it keeps order with callbacks). */
    private <T> T onLane(String about, LaneWork<T> work) {
        java.util.concurrent.Future<T> done = lane(about).submit(() -> work.run());
        try {
            return done.get();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            done.cancel(true);
            throw new IllegalStateException("stopped", stopping);
        } catch (java.util.concurrent.ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failed.getCause());
        }
    }

    /** The member an external user is, from the kept link or a unionid WeCom gave — without asking WeCom again. */
    private Optional<String> knownMember(String externalUserId, String unionid) {
        Optional<String> linked = Mono.from(links.find(Filters.eq("_id", externalUserId)).first())
                .map(link -> link.getString("memberId")).blockOptional();
        if (linked.isPresent() || unionid == null || unionid.isBlank()) {
            return linked;
        }
        Optional<String> member = unionids.memberOf(unionid);
        member.ifPresent(id -> Mono.from(links.replaceOne(Filters.eq("_id", externalUserId),
                new Document("_id", externalUserId).append("memberId", id), new ReplaceOptions().upsert(true)))
                .block());
        return member;
    }

    /** @return the outcome to settle the callback with */
    String translate(CallbackMessage message) throws WxErrorException {
        String event = message.field("Event");
        String change = message.field("ChangeType");
        Instant at = Instant.ofEpochSecond(Long.parseLong(message.field("CreateTime")));
        String key = message.dedupeKey();
        if ("change_external_contact".equals(event)) {
            return translateContactChange(message, change, key, at);
        }
        if ("change_external_chat".equals(event)) {
            return translateChatChange(message, change, key, at);
        }
        if ("change_external_tag".equals(event)) {
            corpTags.refresh();
            return "tags re-read";
        }
        return "ignored";
    }

    private String translateContactChange(CallbackMessage message, String change, String key, Instant at)
            throws WxErrorException {
        String external = message.field("ExternalUserID");
        String staff = message.field("UserID");
        switch (change) {
            case "add_external_contact", "add_half_external_contact" -> {
                Optional<String> member = memberOf(external, key, null);
                member.ifPresent(id -> {
                    Optional<Instant> held = currentStart(staff, external, at);
                    Instant start = held.orElse(at);
                    commands.sendAndWait(new RecordWeComContactAdded(id, ContactKeys.added(staff, external, start),
                            staff, external, blankToNull(message.field("State")), at, null,
                            held.isPresent() ? key : ContactKeys.halfAdded(staff, external, at)));
                    if (held.isEmpty()) {
                        relationships.added(staff, external, at, id);
                    }
                });
                // WeCom's one chance to greet them: a member hears their standing, anyone else is invited to join
                outbox.welcome(key, member.orElse(null), message.field("WelcomeCode"),
                        callbacks.receivedAt(key).orElse(clock.instant()));
                return member.isPresent() ? "recorded" : "unlinked";
            }
            case "del_external_contact", "del_follow_user" -> {
                Optional<String> member = memberOf(external, key, null);
                WeComRemoval by = change.equals("del_follow_user") ? WeComRemoval.CUSTOMER_REMOVED_STAFF
                        : WeComRemoval.STAFF_REMOVED_CUSTOMER;
                member.ifPresent(id -> {
                    // keyed by the relationship it ends, so reconciliation finding the same end records nothing
                    Optional<Relationships.Held> held = relationships.find(staff, external);
                    // the relationship it ends is the one held if that one is current (or this very end): an end
                    // that arrives before the add it follows ends a relationship whose start is not known yet
                    boolean endsHeld = held.isPresent() && held.get().addedAt() != null
                            && !held.get().addedAt().isAfter(at)
                            && (held.get().active() || at.equals(held.get().removedAt())
                            || held.get().endFound() && !at.isAfter(held.get().removedAt()));
                    String factKey = endsHeld ? ContactKeys.removed(staff, external, held.get().addedAt())
                            : ContactKeys.removedUnknownStart(staff, external, at);
                    commands.sendAndWait(new RecordWeComContactRemoved(id, factKey, staff, external, by, at, null,
                            key));
                    relationships.removed(staff, external, at, id);
                });
                return member.isPresent() ? "recorded" : "unlinked";
            }
            case "edit_external_contact" -> {
                Optional<String> member = memberOf(external, key, null);
                if (member.isEmpty()) {
                    return "unlinked";
                }
                Optional<WeComApi.Contact> contact = api.contact(external);
                if (contact.isEmpty() || !contact.get().tagsByStaff().containsKey(staff)) {
                    return "no relationship";
                }
                commands.sendAndWait(new RecordWeComTags(member.get(), callbacks.nextReadKey(key), staff,
                        contact.get().tagsByStaff().get(staff), at));
                return "recorded";
            }
            default -> {
                return "ignored";
            }
        }
    }

    private String translateChatChange(CallbackMessage message, String change, String key, Instant at)
            throws WxErrorException {
        String chatId = message.field("ChatId");
        if ("update".equals(change)) {
            String detail = message.field("UpdateDetail");
            if ("add_member".equals(detail) || "del_member".equals(detail)) {
                return translateMemberChange(message, "add_member".equals(detail), key, at);
            }
            WeComGroupChange what = switch (detail == null ? "" : detail) {
                case "change_name" -> WeComGroupChange.NAME_CHANGED;
                case "change_owner" -> WeComGroupChange.OWNER_CHANGED;
                case "change_notice" -> WeComGroupChange.NOTICE_CHANGED;
                default -> null;
            };
            if (what == null) {
                return "ignored";
            }
            String factKey = what == WeComGroupChange.NOTICE_CHANGED ? key : callbacks.nextReadKey(key);
            Optional<WeComApi.GroupChat> now = api.groupChat(chatId);
            commands.sendAndWait(new RecordWeComGroupChange(chatId, factKey, what,
                    now.map(WeComApi.GroupChat::name).orElse(null), now.map(WeComApi.GroupChat::owner).orElse(null),
                    at, !factKey.equals(key)));
            return "recorded";
        }
        if ("create".equals(change)) {
            Optional<WeComApi.GroupChat> now = api.groupChat(chatId);
            recordGroupChange(chatId, key, WeComGroupChange.CREATED, now, at);
            if (now.isEmpty()) {
                return "recorded";
            }
            // the members a group is created with arrive in no add_member callback
            int unlinkedMembers = initialMembers(chatId, held(chatId).map(CallbackTranslator::members)
                    .orElse(Set.of()), now.get(), key);
            hold(chatId, now.get().memberVersion(), now.get().externalMembers().keySet());
            return unlinkedMembers == 0 ? "recorded" : "unlinked " + unlinkedMembers;
        }
        if ("dismiss".equals(change)) {
            recordGroupChange(chatId, key, WeComGroupChange.DISMISSED, Optional.empty(), at);
            int unlinkedMembers = 0;
            for (String external : held(chatId).map(CallbackTranslator::members).orElse(Set.of())) {
                Optional<String> member = memberOf(external, key, null);
                if (member.isEmpty()) {
                    unlinkedMembers++;
                    continue;
                }
                commands.sendAndWait(new RecordWeComGroupLeft(member.get(), key + "|" + external, chatId, null, null,
                        at, null));
            }
            hold(chatId, "", Set.of());
            return unlinkedMembers == 0 ? "recorded" : "unlinked " + unlinkedMembers;
        }
        return "ignored";
    }

    /**
     * A group's members joined or left. The bridge holds each group's member version and external members
     * ({@code wecom_chats}); when the change's {@code LastMemVer} is not the version held, a change was lost or came
     * out of order, and the group is read again ({@code groupchat/get}) and reconciled: whoever WeCom lists and the
     * bridge did not hold has joined, whoever it held and WeCom no longer lists has left (facts keyed by the chat's
     * version). Joins read the group anyway, for the {@code state} each member joined by.
     */
    private String translateMemberChange(CallbackMessage message, boolean joined, String key, Instant at)
            throws WxErrorException {
        String chatId = message.field("ChatId");
        Optional<Document> held = held(chatId);
        boolean inStep = held.isEmpty() || held.get().getString("version").equals(message.field("LastMemVer"));
        Optional<WeComApi.GroupChat> now = joined || !inStep ? api.groupChat(chatId) : Optional.empty();
        int unlinked = 0;
        String foundList = joined ? "joinedFound" : "leftFound";
        List<String> found = held.map(chat -> chat.getList(foundList, String.class, List.of())).orElse(List.of());
        for (String external : message.memberChanges()) {
            if (found.contains(external)) {
                // a reconciliation run found this join (or leave) first: the late callback is the same fact
                Mono.from(chats.updateOne(Filters.eq("_id", chatId), Updates.pull(foundList, external))).block();
                continue;
            }
            Optional<String> member = memberOf(external, key, now.map(chat -> chat.externalMembers().get(external))
                    .map(WeComApi.Member::unionid).orElse(null));
            if (member.isEmpty()) {
                unlinked++;
                continue;
            }
            String factKey = key + "|" + external;
            String state = now.map(chat -> chat.externalMembers().get(external)).map(WeComApi.Member::state)
                    .orElse(null);
            commands.sendAndWait(joined
                    ? new RecordWeComGroupJoined(member.get(), factKey, chatId, integer(message.field("JoinScene")),
                    state, message.field("CurMemVer"), at, null)
                    : new RecordWeComGroupLeft(member.get(), factKey, chatId, integer(message.field("QuitScene")),
                    message.field("CurMemVer"), at, null));
        }
        Set<String> members = held.map(CallbackTranslator::members).orElseGet(LinkedHashSet::new);
        if (!inStep && now.isPresent()) {
            unlinked += reconcile(chatId, members, now.get(), message.memberChanges(), key, false);
        }
        if (now.isPresent()) {
            hold(chatId, now.get().memberVersion(), now.get().externalMembers().keySet());
        } else if (inStep) {
            if (joined) {
                members.addAll(message.memberChanges());
            } else {
                message.memberChanges().forEach(members::remove);
            }
            hold(chatId, message.field("CurMemVer"), members);
        }
        return unlinked == 0 ? "recorded" : "unlinked " + unlinked;
    }

    /**
     * The members a group was created with (they arrive in no {@code add_member} callback): joins dated by WeCom's
     * {@code join_time}, reported by the {@code create} callback — not found by reconciliation.
     *
     * @return how many are not linked to a member
     */
    private int initialMembers(String chatId, Set<String> held, WeComApi.GroupChat now, String callbackKey)
            throws WxErrorException {
        return reconcile(chatId, held, now, List.of(), callbackKey, false, false);
    }

    /** @return how many changed members are not linked to a member */
    private int reconcile(String chatId, Set<String> held, WeComApi.GroupChat now, List<String> alreadyRecorded,
                          String callbackKey, boolean noteFound) throws WxErrorException {
        return reconcile(chatId, held, now, alreadyRecorded, callbackKey, noteFound, true);
    }

    private int reconcile(String chatId, Set<String> held, WeComApi.GroupChat now, List<String> alreadyRecorded,
                          String callbackKey, boolean noteFound, boolean found) throws WxErrorException {
        Instant reconciledAt = clock.instant();
        Instant foundAt = found ? reconciledAt : null;
        int unlinked = 0;
        Set<String> changed = new LinkedHashSet<>(now.externalMembers().keySet());
        changed.addAll(held);
        for (String external : changed) {
            boolean inWeCom = now.externalMembers().containsKey(external);
            if (inWeCom == held.contains(external) || alreadyRecorded.contains(external)) {
                continue;
            }
            WeComApi.Member listed = now.externalMembers().get(external);
            Optional<String> member = memberOf(external, callbackKey, listed == null ? null : listed.unionid());
            if (member.isEmpty()) {
                unlinked++;
                continue;
            }
            String factKey = "reconcile|" + chatId + "|" + now.memberVersion() + "|" + external;
            // a found join is dated by WeCom's join_time; WeCom keeps no time for a departure, so it is dated by
            // when it was found; both say when they were found
            commands.sendAndWait(inWeCom
                    ? new RecordWeComGroupJoined(member.get(), factKey, chatId, listed.joinScene(), listed.state(),
                    now.memberVersion(), listed.joinTime() == null ? reconciledAt : listed.joinTime(), foundAt)
                    : new RecordWeComGroupLeft(member.get(), factKey, chatId, null, now.memberVersion(),
                    reconciledAt, foundAt));
            if (noteFound) {
                // a callback for this join or leave that arrives later is the same fact
                Mono.from(chats.updateOne(Filters.eq("_id", chatId), Updates.addToSet(inWeCom ? "joinedFound"
                        : "leftFound", external), new UpdateOptions().upsert(true))).block();
            }
        }
        if (found) {
            log.info("Reconciled a WeCom group after a lost or reordered change: {} members now",
                    now.externalMembers().size());
        }
        return unlinked;
    }

    private void hold(String chatId, String version, Set<String> members) {
        Mono.from(chats.updateOne(Filters.eq("_id", chatId), Updates.combine(
                Updates.set("version", version == null ? "" : version),
                Updates.set("members", new ArrayList<>(members))), new UpdateOptions().upsert(true))).block();
    }

    /** Records the change with the group's name and owner as WeCom reports them now (unknown once it is gone). */
    private void recordGroupChange(String chatId, String key, WeComGroupChange change,
                                   Optional<WeComApi.GroupChat> now, Instant at) {
        commands.sendAndWait(new RecordWeComGroupChange(chatId, key, change,
                now.map(WeComApi.GroupChat::name).orElse(null), now.map(WeComApi.GroupChat::owner).orElse(null), at));
    }

    private Optional<Document> held(String chatId) {
        return Mono.from(chats.find(Filters.eq("_id", chatId)).first()).blockOptional();
    }

    private static Set<String> members(Document chat) {
        return new LinkedHashSet<>(chat.getList("members", String.class, List.of()));
    }

    /**
     * The member an external user is: by the kept link, or by their unionid (the group member list's, or the one
     * {@code externalcontact/get} reports) and the member who registered with it. WeCom is asked for removals too:
     * they can arrive before the addition that would have made the link. A user with a unionid but no member yet is
     * remembered with the callback, to be linked when the member registers.
     */
    private Optional<String> memberOf(String externalUserId, String callbackKey, String knownUnionid)
            throws WxErrorException {
        Optional<String> linked = Mono.from(links.find(Filters.eq("_id", externalUserId)).first())
                .map(link -> link.getString("memberId")).blockOptional();
        if (linked.isPresent()) {
            return linked;
        }
        Optional<String> unionid = knownUnionid != null && !knownUnionid.isBlank() ? Optional.of(knownUnionid)
                : api.unionidOf(externalUserId);
        Optional<String> member = unionid.flatMap(unionids::memberOf);
        if (member.isEmpty() && unionid.isPresent()) {
            Mono.from(unlinked.updateOne(Filters.eq("_id", unionids.keyOf(unionid.get())), Updates.combine(
                    Updates.addToSet("callbacks", callbackKey),
                    Updates.set("lastAt", java.util.Date.from(clock.instant()))),
                    new UpdateOptions().upsert(true))).block();
            // the member may have registered (and been announced) between the lookup and the note
            member = unionids.memberOf(unionid.get());
        }
        member.ifPresent(id -> Mono.from(links.replaceOne(Filters.eq("_id", externalUserId),
                new Document("_id", externalUserId).append("memberId", id), new ReplaceOptions().upsert(true)))
                .block());
        return member;
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
