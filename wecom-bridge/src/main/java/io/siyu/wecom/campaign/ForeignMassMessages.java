package io.siyu.wecom.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.store.FirstWrite;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads what the corp's other mass messages (the admin console's, staff members' own, other apps') delivered, so the
 * receive limit counts them: new messages are listed ({@code get_groupmsg_list_v2}) since the last reading
 * ({@code wecom_mass_sync}); each is followed ({@code wecom_mass_foreign}) until every staff member it was handed to
 * has sent it or the confirmation deadline has long passed, reading who received it ({@code get_groupmsg_task},
 * {@code get_groupmsg_send_result}) into {@link MassReceipts}. Siyu's own messages are known by their msgids
 * ({@code wecom_campaign_msgids}) and skipped.
 */
@Component
class ForeignMassMessages {

    private static final Logger log = LoggerFactory.getLogger(ForeignMassMessages.class);
    static final String SYNC = "wecom_mass_sync";
    static final String FOREIGN = "wecom_mass_foreign";
    static final String OURS = "wecom_campaign_msgids";
    /** WeCom lists at most a month per request. */
    private static final Duration LONGEST_SPAN = Duration.ofDays(30);

    private final MongoCollection<Document> sync;
    private final MongoCollection<Document> foreign;
    private final MongoCollection<Document> ours;
    private final WeComApi api;
    private final MassReceipts receipts;
    private final Clock clock;
    private final Duration followFor;
    private final Duration margin;

    ForeignMassMessages(MongoDatabase reactiveMongoDatabase, WeComApi api, MassReceipts receipts, Clock clock,
                        CampaignProperties properties) {
        this.sync = reactiveMongoDatabase.getCollection(SYNC);
        this.foreign = reactiveMongoDatabase.getCollection(FOREIGN);
        this.ours = reactiveMongoDatabase.getCollection(OURS);
        this.api = api;
        this.receipts = receipts;
        this.clock = clock;
        this.followFor = properties.confirmationDeadline().plusDays(1);
        this.margin = properties.lookupMargin();
    }

    /**
     * Remembers a msgid as Siyu's own, before anything is recorded of it.
     *
     * @return whether it had been taken for another source's message (listed while Siyu did not know its msgid yet)
     */
    boolean ours(String msgid, String taskId) {
        FirstWrite.insert(ours, new Document("_id", msgid).append("taskId", taskId)).block();
        return Mono.from(foreign.deleteOne(Filters.eq("_id", msgid))).map(result -> result.getDeletedCount() > 0)
                .defaultIfEmpty(false).block();
    }

    /** @return the task a msgid of Siyu's belongs to, or {@code null} */
    String taskOf(String msgid) {
        return Mono.from(ours.find(Filters.eq("_id", msgid)).first()).map(doc -> doc.getString("taskId"))
                .blockOptional().orElse(null);
    }

    /**
     * Brings the receipts up to date with the corp's other mass messages.
     *
     * @return WeCom calls made
     */
    int catchUp() throws WxErrorException {
        Instant now = clock.instant();
        Document state = Mono.from(sync.find(Filters.eq("_id", "corp")).first()).block();
        Instant from = state == null ? now.minus(LONGEST_SPAN)
                : state.getDate("syncedTo").toInstant().minus(margin);
        if (from.isBefore(now.minus(LONGEST_SPAN))) {
            from = now.minus(LONGEST_SPAN);
        }
        int calls = 0;
        String cursor = null;
        do {
            WeComApi.MassMessagePage page = api.massMessages(from, now, cursor);
            calls++;
            for (WeComApi.MassMessage message : page.messages()) {
                if (taskOf(message.msgid()) == null) {
                    FirstWrite.insert(foreign, new Document("_id", message.msgid()).append("open", true)
                            .append("createdAt", Date.from(message.createdAt() == null ? now : message.createdAt()))
                            .append("staffDone", List.of())).block();
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        Mono.from(sync.updateOne(Filters.eq("_id", "corp"), Updates.set("syncedTo", Date.from(now)),
                new UpdateOptions().upsert(true))).block();
        // followed to the end and older than any window: not needed any more
        Mono.from(foreign.deleteMany(Filters.and(Filters.eq("open", false),
                Filters.lt("createdAt", Date.from(now.minus(MassReceipts.KEPT)))))).block();
        for (Document open : Flux.from(foreign.find(Filters.eq("open", true))).collectList().block()) {
            calls += follow(open, now);
        }
        return calls;
    }

    private int follow(Document message, Instant now) throws WxErrorException {
        String msgid = message.getString("_id");
        if (taskOf(msgid) != null) {
            // listed before Siyu recorded it as its own (a task created as the list was read)
            Mono.from(foreign.deleteOne(Filters.eq("_id", msgid))).block();
            return 0;
        }
        Set<String> done = new HashSet<>(message.getList("staffDone", String.class, List.of()));
        int calls = 0;
        boolean everyoneSent = true;
        String cursor = null;
        do {
            WeComApi.TaskPage tasks = api.massMessageTasks(msgid, cursor);
            calls++;
            for (WeComApi.TaskStatus task : tasks.tasks()) {
                if (done.contains(task.staffUserId())) {
                    continue;
                }
                if (task.status() != 2) {
                    everyoneSent = false;
                    continue;
                }
                Map<String, Instant> received = new HashMap<>();
                String deliveries = null;
                do {
                    WeComApi.DeliveryPage page = api.massMessageDeliveries(msgid, task.staffUserId(), deliveries);
                    calls++;
                    page.deliveries().stream().filter(delivery -> delivery.status() == 1).forEach(delivery ->
                            received.put(delivery.externalUserId(), delivery.sentAt() == null ? now
                                    : delivery.sentAt()));
                    deliveries = page.nextCursor();
                } while (deliveries != null);
                receipts.record(received, "wecom:" + msgid);
                Mono.from(foreign.updateOne(Filters.eq("_id", msgid), Updates.addToSet("staffDone",
                        task.staffUserId()))).block();
            }
            cursor = tasks.nextCursor();
        } while (cursor != null);
        Instant created = message.getDate("createdAt").toInstant();
        if (everyoneSent || created.plus(followFor).isBefore(now)) {
            Mono.from(foreign.updateOne(Filters.eq("_id", msgid), Updates.set("open", false))).block();
        }
        log.debug("followed a mass message made outside Siyu ({} calls)", calls);
        return calls;
    }
}
