package io.siyu.wecom.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComContactRemoved;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.api.wecom.RecordWeComGroupLeft;
import io.siyu.api.wecom.WeComRemoval;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.identity.UnionidDirectory;
import io.siyu.wecom.outbox.WelcomeOutbox;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Mono;

/**
 * Turns logged callbacks into commands on the member stream, after WeCom has been answered: contact added / removed
 * and group members joined / left. The external user is linked to a member by the unionid WeCom reports for them
 * ({@code externalcontact/get}) and the member who registered with it; the link is kept ({@code wecom_links}). Each
 * command carries the callback's dedupe key (per member for group changes), so translating a callback twice records
 * nothing twice. A callback whose user has no member yet is settled {@code unlinked}; one that fails (WeCom down) is
 * tried again with backoff, and at the next start.
 */
@Component
public class CallbackTranslator implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CallbackTranslator.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final CallbackLog callbacks;
    private final WeComApi api;
    private final UnionidDirectory unionids;
    private final CommandGateway commands;
    private final WelcomeOutbox welcomes;
    private final MongoCollection<Document> links;
    private final MongoCollection<Document> chats;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "siyu-wecom-translator");
        thread.setDaemon(true);
        return thread;
    });

    CallbackTranslator(CallbackLog callbacks, WeComApi api, UnionidDirectory unionids, CommandGateway commands,
                       MongoDatabase reactiveMongoDatabase, Clock clock, WelcomeOutbox welcomes) {
        this.welcomes = welcomes;
        this.clock = clock;
        this.chats = reactiveMongoDatabase.getCollection("wecom_chats");
        this.callbacks = callbacks;
        this.api = api;
        this.unionids = unionids;
        this.commands = commands;
        this.links = reactiveMongoDatabase.getCollection("wecom_links");
    }

    /** Queues a newly logged callback. */
    public void submit(CallbackMessage message) {
        schedule(message, Duration.ZERO);
    }

    /**
     * Translates every logged callback again (after a fix in translation): facts already recorded are recognised by
     * their keys and write nothing; what was missed or unlinked is recorded now.
     *
     * @return how many callbacks were queued
     */
    public int replayAll() {
        List<CallbackMessage> all = callbacks.all();
        all.forEach(this::submit);
        return all.size();
    }

    @EventListener(ApplicationReadyEvent.class)
    void translateWhatWasLeft() {
        worker.execute(() -> callbacks.untranslated().forEach(this::submit));
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }

    private void schedule(CallbackMessage message, Duration delay) {
        worker.schedule(() -> {
            try {
                callbacks.settle(message.dedupeKey(), translate(message));
            } catch (RuntimeException | WxErrorException failure) {
                Duration next = delay.isZero() ? FIRST_RETRY
                        : delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
                log.warn("Translating a WeCom callback failed, retrying in {} s: {}", next.toSeconds(),
                        failure.toString());
                schedule(message, next);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the outcome to settle the callback with */
    String translate(CallbackMessage message) throws WxErrorException {
        String event = message.field("Event");
        String change = message.field("ChangeType");
        Instant at = Instant.ofEpochSecond(Long.parseLong(message.field("CreateTime")));
        String key = message.dedupeKey();
        if ("change_external_contact".equals(event)) {
            String external = message.field("ExternalUserID");
            switch (change) {
                case "add_external_contact", "add_half_external_contact" -> {
                    Optional<String> member = memberOf(external);
                    member.ifPresent(id -> {
                        commands.sendAndWait(new RecordWeComContactAdded(id, key, message.field("UserID"), external,
                                message.field("State"), at));
                        welcomes.enqueue(key, id, message.field("WelcomeCode"), at);
                    });
                    return member.isPresent() ? "recorded" : "unlinked";
                }
                case "del_external_contact", "del_follow_user" -> {
                    Optional<String> member = memberOf(external);
                    WeComRemoval by = change.equals("del_follow_user") ? WeComRemoval.CUSTOMER_REMOVED_STAFF
                            : WeComRemoval.STAFF_REMOVED_CUSTOMER;
                    member.ifPresent(id -> commands.sendAndWait(new RecordWeComContactRemoved(id, key,
                            message.field("UserID"), external, by, at)));
                    return member.isPresent() ? "recorded" : "unlinked";
                }
                default -> {
                    return "ignored";
                }
            }
        }
        if ("change_external_chat".equals(event) && "update".equals(change)) {
            String detail = message.field("UpdateDetail");
            if (!"add_member".equals(detail) && !"del_member".equals(detail)) {
                return "ignored";
            }
            return translateMemberChange(message, "add_member".equals(detail), key, at);
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
        Optional<Document> held = Mono.from(chats.find(Filters.eq("_id", chatId)).first()).blockOptional();
        boolean inStep = held.isEmpty() || held.get().getString("version").equals(message.field("LastMemVer"));
        Optional<WeComApi.GroupChat> now = joined || !inStep ? api.groupChat(chatId) : Optional.empty();
        int unlinked = 0;
        for (String external : message.memberChanges()) {
            Optional<String> member = memberOf(external);
            if (member.isEmpty()) {
                unlinked++;
                continue;
            }
            String factKey = key + "|" + external;
            String state = now.map(chat -> chat.externalMembers().get(external)).map(WeComApi.Member::state)
                    .orElse(null);
            commands.sendAndWait(joined
                    ? new RecordWeComGroupJoined(member.get(), factKey, chatId, integer(message.field("JoinScene")),
                    state, message.field("CurMemVer"), at)
                    : new RecordWeComGroupLeft(member.get(), factKey, chatId, integer(message.field("QuitScene")),
                    message.field("CurMemVer"), at));
        }
        Set<String> members = new LinkedHashSet<>(held.map(chat -> chat.getList("members", String.class))
                .orElse(List.of()));
        if (!inStep && now.isPresent()) {
            unlinked += reconcile(chatId, members, now.get(), message.memberChanges());
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

    /** @return how many changed members are not linked to a member */
    private int reconcile(String chatId, Set<String> held, WeComApi.GroupChat now, List<String> alreadyRecorded)
            throws WxErrorException {
        Instant reconciledAt = clock.instant();
        int unlinked = 0;
        Set<String> changed = new LinkedHashSet<>(now.externalMembers().keySet());
        changed.addAll(held);
        for (String external : changed) {
            boolean inWeCom = now.externalMembers().containsKey(external);
            if (inWeCom == held.contains(external) || alreadyRecorded.contains(external)) {
                continue;
            }
            Optional<String> member = memberOf(external);
            if (member.isEmpty()) {
                unlinked++;
                continue;
            }
            String factKey = "reconcile|" + chatId + "|" + now.memberVersion() + "|" + external;
            WeComApi.Member how = now.externalMembers().get(external);
            commands.sendAndWait(inWeCom
                    ? new RecordWeComGroupJoined(member.get(), factKey, chatId, how.joinScene(), how.state(),
                    now.memberVersion(), reconciledAt)
                    : new RecordWeComGroupLeft(member.get(), factKey, chatId, null, now.memberVersion(),
                    reconciledAt));
        }
        log.info("Reconciled a WeCom group after a lost or reordered change: {} members now", now.externalMembers()
                .size());
        return unlinked;
    }

    private void hold(String chatId, String version, Set<String> members) {
        Mono.from(chats.replaceOne(Filters.eq("_id", chatId), new Document("_id", chatId)
                .append("version", version == null ? "" : version).append("members", new ArrayList<>(members)),
                new ReplaceOptions().upsert(true))).block();
    }

    /**
     * The member an external user is, by the kept link or by the unionid WeCom reports. WeCom is asked for removals
     * too: they can arrive before the addition that would have made the link.
     */
    private Optional<String> memberOf(String externalUserId) throws WxErrorException {
        Optional<String> linked = Mono.from(links.find(Filters.eq("_id", externalUserId)).first())
                .map(link -> link.getString("memberId")).blockOptional();
        if (linked.isPresent()) {
            return linked;
        }
        Optional<String> member = api.unionidOf(externalUserId).flatMap(unionids::memberOf);
        member.ifPresent(id -> Mono.from(links.replaceOne(Filters.eq("_id", externalUserId),
                new Document("_id", externalUserId).append("memberId", id),
                new ReplaceOptions().upsert(true))).block());
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
