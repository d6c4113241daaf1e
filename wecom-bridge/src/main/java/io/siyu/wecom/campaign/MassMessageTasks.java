package io.siyu.wecom.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.campaign.CampaignAttachment;
import io.siyu.api.campaign.CampaignMessageHeldBack;
import io.siyu.api.campaign.CampaignMessageSettled;
import io.siyu.api.campaign.FindConsentingMembers;
import io.siyu.api.campaign.RecordCampaignMessageHeldBack;
import io.siyu.api.campaign.RecordCampaignMessageQueued;
import io.siyu.api.campaign.RecordCampaignMessageSettled;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.api.WeComErrors;
import io.siyu.wecom.api.WeComHalt;
import io.siyu.wecom.joinway.JoinWays;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends planned tasks through WeCom's enterprise mass messaging and collects how they end. Each task is one staff
 * member's batch ({@code add_msg_template}, chat type single) and moves through
 * {@code ready → intent → created → settled}:
 * <ul>
 *   <li><b>ready → intent</b>: just before the call, consent is asked again (a member who withdrew since planning is
 *   taken out, never messaged) and the intent — when, what text — is made durable.</li>
 *   <li><b>intent → created</b>: WeCom's msgid is recorded, then the {@code CampaignMessageQueued} facts. WeCom's call
 *   has no idempotency key, so a task found in {@code intent} (the node died, or the answer was lost) is not sent
 *   again blindly: WeCom's list of mass messages ({@code get_groupmsg_list_v2}) from a little before the intent is
 *   searched for one with the same text that is not Siyu's already, and its recipients for this staff member
 *   ({@code get_groupmsg_send_result}) compared: the same people (or fewer: WeCom's fail list) — the task is adopted;
 *   an overlap with others — it is marked {@code possible-duplicate} and reported, never sent again; nothing found —
 *   it is sent again and marked {@code resent-after-lookup}, reported too (WeCom's list might not have shown it yet).</li>
 *   <li><b>created → settled</b>: the staff member's task is asked about ({@code get_groupmsg_task}) every
 *   {@code poll-interval}; once sent, each recipient's outcome is read ({@code get_groupmsg_send_result}) and recorded
 *   ({@code CampaignMessageSettled}; over the receive limit also {@code CampaignMessageHeldBack}, to be planned
 *   again); past the confirmation deadline the task is cancelled in WeCom and its recipients are
 *   {@code not-confirmed}.</li>
 * </ul>
 * Every step can be done again: facts are keyed by campaign and task, receipts by task.
 */
@Component
class MassMessageTasks {

    private static final Logger log = LoggerFactory.getLogger(MassMessageTasks.class);
    private static final int MAX_ATTEMPTS = 20;

    private final MongoCollection<Document> tasks;
    private final MongoCollection<Document> recipients;
    private final MongoCollection<Document> campaigns;
    private final WeComApi api;
    private final WeComHalt halt;
    private final QueryGateway queries;
    private final EngineFacts facts;
    private final MassReceipts receipts;
    private final ForeignMassMessages massMessages;
    private final JoinWays joinWays;
    private final Clock clock;
    private final CampaignProperties properties;
    private final ReceiveLimit limit;

    MassMessageTasks(MongoDatabase reactiveMongoDatabase, WeComApi api, WeComHalt halt, QueryGateway queries,
                     EngineFacts facts, MassReceipts receipts, ForeignMassMessages massMessages, JoinWays joinWays,
                     Clock clock, CampaignProperties properties, CampaignPlanner planner) {
        this.tasks = reactiveMongoDatabase.getCollection(CampaignPlanner.TASKS);
        this.recipients = reactiveMongoDatabase.getCollection(CampaignPlanner.RECIPIENTS);
        this.campaigns = reactiveMongoDatabase.getCollection(CampaignDefinitions.COLLECTION);
        this.api = api;
        this.halt = halt;
        this.queries = queries;
        this.facts = facts;
        this.receipts = receipts;
        this.massMessages = massMessages;
        this.joinWays = joinWays;
        this.clock = clock;
        this.properties = properties;
        this.limit = planner.limit();
    }

    /** @return the tasks in a state, due now (a scan embedded; an index on {@code status} on MongoDB) */
    List<Document> due(String status) {
        Date now = Date.from(clock.instant());
        return Flux.from(tasks.find(Filters.and(Filters.eq("status", status), Filters.or(
                Filters.exists("nextAt", false), Filters.lte("nextAt", now))))).collectList().block();
    }

    /** Sends a ready task. */
    void send(Document task) {
        String taskId = task.getString("_id");
        Document campaign = campaign(task);
        List<Document> members = task.getList("recipients", Document.class, List.of());
        if (campaign == null || campaign.getBoolean("stopped", false)) {
            // stopped before it was handed to staff: its members were not addressed after all
            receipts.release(externals(members), taskId);
            Mono.from(recipients.deleteMany(Filters.in("_id", members.stream()
                    .map(member -> CampaignPlanner.key(task.getString("campaignId"), member.getString("m")))
                    .toList()))).block();
            settle(taskId, "cancelled", null);
            return;
        }
        Set<String> consenting = consenting(members, campaign.getString("purpose"));
        List<Document> withdrawn = members.stream().filter(member -> !consenting.contains(member.getString("m")))
                .toList();
        if (!withdrawn.isEmpty()) {
            receipts.release(externals(withdrawn), taskId);
            bulkClaims(withdrawn, task, Updates.combine(Updates.set("status", "settled"),
                    Updates.set("outcome", "consent-withdrawn")));
            Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.pullAll("recipients", withdrawn))).block();
            members = members.stream().filter(member -> consenting.contains(member.getString("m"))).toList();
        }
        if (members.isEmpty()) {
            settle(taskId, "settled", "no recipient consents any more");
            return;
        }
        List<CampaignAttachment> attachments;
        try {
            attachments = attachments(campaign);
        } catch (IllegalStateException missing) {
            fail(task, members, missing.getMessage());
            return;
        }
        String text = campaign.getString("text");
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(Updates.set("status", "intent"),
                Updates.set("intentAt", Date.from(clock.instant())), Updates.set("text", text),
                Updates.unset("nextAt")))).block();
        WeComApi.MassMessageTask made;
        try {
            made = api.addMsgTemplate(task.getString("staffUserId"), externals(members), text, attachments);
        } catch (WxErrorException | RuntimeException failure) {
            refused(task, members, failure);
            return;
        }
        created(task, made.msgid(), made.failList(), null);
    }

    /** WeCom did not make the task, or its answer did not come back. */
    private void refused(Document task, List<Document> members, Throwable failure) {
        String taskId = task.getString("_id");
        Integer errcode = WeComApi.errcode(failure);
        if (errcode == null || errcode == -1) {
            // the answer may have been lost after WeCom made it: the lookup decides (next tick)
            log.warn("A mass-message task got no clear answer ({}); it will be looked up in WeCom before any resend",
                    errcode == null ? failure.getClass().getSimpleName() : "errcode -1");
            return;
        }
        switch (WeComErrors.verdict(errcode)) {
            case OPERATOR -> {
                halt.halt(errcode);
                back(taskId, "WeCom errcode " + errcode, false);
            }
            case FINAL -> fail(task, members, "WeCom errcode " + errcode);
            case RETRY -> {
                if (task.getInteger("attempts", 0) + 1 >= MAX_ATTEMPTS) {
                    fail(task, members, "WeCom errcode " + errcode + " after " + MAX_ATTEMPTS + " attempts");
                } else {
                    back(taskId, "WeCom errcode " + errcode, true);
                }
            }
        }
    }

    /** WeCom surely did not make it: ready again, after a pause when it asked to slow down. */
    private void back(String taskId, String reason, boolean attempt) {
        Document task = Mono.from(tasks.find(Filters.eq("_id", taskId)).first()).block();
        int attempts = task.getInteger("attempts", 0) + (attempt ? 1 : 0);
        Duration pause = Duration.ofSeconds(Math.min(300, 1L << Math.min(8, attempts)));
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(Updates.set("status", "ready"),
                Updates.set("attempts", attempts), Updates.set("lastError", reason),
                Updates.set("nextAt", Date.from(clock.instant().plus(pause)))))).block();
    }

    /** WeCom made the task: remember its msgid as Siyu's, then record who it was handed for. */
    private void created(Document task, String msgid, List<String> failList, String recovery) {
        String taskId = task.getString("_id");
        if (msgid == null || msgid.isBlank()) {
            // WeCom could use none of the recipients: they are all in the fail list, and there is nothing to follow
            failList = externals(task.getList("recipients", Document.class, List.of()));
            msgid = null;
        } else if (massMessages.ours(msgid, taskId)) {
            // read as another source's message before it was known as Siyu's: it no longer counts twice
            receipts.release(externals(task.getList("recipients", Document.class, List.of())), "wecom:" + msgid);
        }
        Instant now = clock.instant();
        List<Bson> changes = new ArrayList<>(List.of(Updates.set("status", "created"), Updates.set("msgid", msgid),
                Updates.set("failList", failList), Updates.set("createdAt", Date.from(now)),
                Updates.set("deadline", Date.from(now.plus(properties.confirmationDeadline()))),
                Updates.set("nextAt", Date.from(now.plus(properties.pollInterval()))),
                Updates.set("queuedRecorded", false)));
        if (recovery != null) {
            changes.add(Updates.set("recovery", recovery));
        }
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(changes))).block();
        recordQueued(Mono.from(tasks.find(Filters.eq("_id", taskId)).first()).block());
    }

    /** Records the queued facts of a created task (again after a crash: they are keyed). */
    void recordQueued(Document task) {
        String taskId = task.getString("_id");
        Document campaign = campaign(task);
        Set<String> failed = new HashSet<>(task.getList("failList", String.class, List.of()));
        List<Document> members = task.getList("recipients", Document.class, List.of());
        List<Object> events = new ArrayList<>();
        List<Document> unusable = new ArrayList<>();
        Instant at = task.getDate("createdAt").toInstant();
        for (Document member : members) {
            if (failed.contains(member.getString("e"))) {
                unusable.add(member);
                events.add(settled(campaign, task, member.getString("m"), CampaignMessageSettled.NOT_A_CONTACT, null,
                        at));
            } else {
                events.add(new RecordCampaignMessageQueued(member.getString("m"), task.getString("campaignId"),
                        campaign.getString("name"), taskId, task.getString("staffUserId"),
                        campaign.getString("joinWayState"), campaign.getList("joinChatIds", String.class, List.of()),
                        at));
            }
        }
        receipts.release(externals(unusable), taskId);
        facts.record(events);
        bulkClaims(members, task, Updates.set("status", "queued"));
        bulkClaims(unusable, task, Updates.combine(Updates.set("status", "settled"),
                Updates.set("outcome", CampaignMessageSettled.NOT_A_CONTACT)));
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.set("queuedRecorded", true))).block();
        if (task.getString("msgid") == null) {
            settle(taskId, "settled", "WeCom could use none of the recipients");
        }
    }

    /**
     * A task left in {@code intent}: looks for it in WeCom before anything is sent again.
     *
     * @return WeCom calls made
     */
    int recover(Document task) throws WxErrorException {
        String taskId = task.getString("_id");
        String staff = task.getString("staffUserId");
        List<Document> members = task.getList("recipients", Document.class, List.of());
        Set<String> ours = new HashSet<>(externals(members));
        Instant from = task.getDate("intentAt").toInstant().minus(properties.lookupMargin());
        Instant to = clock.instant();
        int calls = 0;
        String cursor = null;
        do {
            WeComApi.MassMessagePage page = api.massMessages(from, to, cursor);
            calls++;
            for (WeComApi.MassMessage message : page.messages()) {
                if (!java.util.Objects.equals(message.text(), task.getString("text"))
                        || massMessages.taskOf(message.msgid()) != null) {
                    continue;
                }
                Set<String> theirs = new HashSet<>();
                String deliveries = null;
                do {
                    WeComApi.DeliveryPage sent = api.massMessageDeliveries(message.msgid(), staff, deliveries);
                    calls++;
                    sent.deliveries().forEach(delivery -> theirs.add(delivery.externalUserId()));
                    deliveries = sent.nextCursor();
                } while (deliveries != null);
                if (theirs.isEmpty()) {
                    continue; // another staff member's
                }
                if (ours.containsAll(theirs)) {
                    List<String> failList = ours.stream().filter(external -> !theirs.contains(external)).sorted()
                            .toList();
                    log.info("A mass-message task cut short before its answer was found in WeCom and adopted");
                    created(task, message.msgid(), failList, "adopted");
                    return calls;
                }
                if (theirs.stream().anyMatch(ours::contains)) {
                    log.warn("A mass-message task may have been made twice in WeCom (msgid {} overlaps it); it is "
                            + "reported as a possible duplicate and not sent again", message.msgid());
                    Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(
                            Updates.set("status", "possible-duplicate"), Updates.set("overlapsMsgid",
                                    message.msgid()), Updates.set("settledAt", Date.from(clock.instant()))))).block();
                    return calls;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        log.warn("A mass-message task cut short was not found in WeCom's list; it is sent again and reported");
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(Updates.set("status", "ready"),
                Updates.set("recovery", "resent-after-lookup"), Updates.unset("nextAt")))).block();
        return calls;
    }

    /**
     * Asks about a created task; records its outcomes once the staff member has sent it, or once the deadline passed.
     *
     * @return WeCom calls made
     */
    int poll(Document task) throws WxErrorException {
        String taskId = task.getString("_id");
        String staff = task.getString("staffUserId");
        String msgid = task.getString("msgid");
        int calls = 0;
        WeComApi.TaskStatus mine = null;
        String cursor = null;
        do {
            WeComApi.TaskPage page = api.massMessageTasks(msgid, cursor);
            calls++;
            for (WeComApi.TaskStatus status : page.tasks()) {
                if (staff.equals(status.staffUserId())) {
                    mine = status;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null && mine == null);
        Instant now = clock.instant();
        if (mine != null && mine.status() == 2) {
            Map<String, WeComApi.Delivery> byExternal = new HashMap<>();
            String deliveries = null;
            do {
                WeComApi.DeliveryPage page = api.massMessageDeliveries(msgid, staff, deliveries);
                calls++;
                page.deliveries().forEach(delivery -> byExternal.put(delivery.externalUserId(), delivery));
                deliveries = page.nextCursor();
            } while (deliveries != null);
            outcomes(task, byExternal, now);
            return calls;
        }
        if (now.isAfter(task.getDate("deadline").toInstant())) {
            try {
                api.cancelMassMessage(msgid);
                calls++;
            } catch (WxErrorException notCancelled) {
                // already sent or cancelled meanwhile: the next look reads which
                log.info("A mass-message task past its deadline could not be cancelled (errcode {}); looking again",
                        WeComApi.errcode(notCancelled));
                Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.set("nextAt",
                        Date.from(now.plus(properties.pollInterval()))))).block();
                return calls + 1;
            }
            outcomes(task, null, now);
            return calls;
        }
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.set("nextAt",
                Date.from(now.plus(properties.pollInterval()))))).block();
        return calls;
    }

    /** Records each recipient's outcome ({@code deliveries} null: the staff member never confirmed). */
    private void outcomes(Document task, Map<String, WeComApi.Delivery> deliveries, Instant now) {
        String taskId = task.getString("_id");
        Document campaign = campaign(task);
        Set<String> failed = new HashSet<>(task.getList("failList", String.class, List.of()));
        List<Object> events = new ArrayList<>();
        Map<String, Instant> sent = new LinkedHashMap<>();
        List<String> released = new ArrayList<>();
        Map<String, String> outcomeOf = new HashMap<>();
        List<Document> overLimit = new ArrayList<>();
        for (Document member : task.getList("recipients", Document.class, List.of())) {
            String external = member.getString("e");
            if (failed.contains(external)) {
                continue; // settled when the task was made
            }
            WeComApi.Delivery delivery = deliveries == null ? null : deliveries.get(external);
            String outcome = deliveries == null ? CampaignMessageSettled.NOT_CONFIRMED
                    : delivery == null ? CampaignMessageSettled.NOT_SENT
                    : switch (delivery.status()) {
                        case 1 -> CampaignMessageSettled.SENT;
                        case 2 -> CampaignMessageSettled.NOT_A_CONTACT;
                        case 3 -> CampaignMessageSettled.RECEIVE_LIMIT;
                        default -> CampaignMessageSettled.NOT_SENT;
                    };
            Instant sentAt = CampaignMessageSettled.SENT.equals(outcome)
                    ? (delivery.sentAt() == null ? now : delivery.sentAt()) : null;
            if (sentAt != null) {
                sent.put(external, sentAt);
            } else {
                released.add(external);
            }
            outcomeOf.put(member.getString("m"), outcome);
            events.add(settled(campaign, task, member.getString("m"), outcome, sentAt, sentAt == null ? now : sentAt));
            if (CampaignMessageSettled.RECEIVE_LIMIT.equals(outcome)) {
                overLimit.add(member);
            }
        }
        receipts.record(sent, taskId);
        receipts.release(released, taskId);
        facts.record(events);
        // over the limit after all (a message from elsewhere got there first): planned again when the window allows
        List<Object> heldBack = new ArrayList<>();
        Instant retryAt = limit.nextWindow(now);
        for (Document member : overLimit) {
            Document claim = Mono.from(recipients.find(Filters.eq("_id", CampaignPlanner.key(
                    task.getString("campaignId"), member.getString("m")))).first()).block();
            if (claim == null || !taskId.equals(claim.getString("taskId"))) {
                continue;
            }
            // held already when these outcomes are recorded again (a crash cut the first recording short): the same
            // attempt, so the same fact
            boolean heldAlready = "held".equals(claim.getString("status"));
            int attempt = claim.getInteger("attempt", 1) + (heldAlready ? 0 : 1);
            if (!heldAlready) {
                Mono.from(recipients.updateOne(Filters.and(Filters.eq("_id", claim.getString("_id")),
                        Filters.eq("taskId", taskId)), Updates.combine(Updates.set("status", "held"),
                        Updates.set("attempt", attempt), Updates.set("retryAt", Date.from(retryAt))))).block();
            }
            heldBack.add(new RecordCampaignMessageHeldBack(member.getString("m"), task.getString("campaignId"),
                    campaign.getString("name"), CampaignMessageHeldBack.RECEIVE_LIMIT, attempt, retryAt, now));
        }
        if (!heldBack.isEmpty()) {
            Mono.from(campaigns.updateOne(Filters.eq("_id", task.getString("campaignId")),
                    Updates.min("nextRetryAt", Date.from(retryAt)))).block();
        }
        facts.record(heldBack);
        List<WriteModel<Document>> claims = new ArrayList<>();
        outcomeOf.forEach((memberId, outcome) -> {
            if (!CampaignMessageSettled.RECEIVE_LIMIT.equals(outcome)) {
                claims.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", CampaignPlanner.key(
                        task.getString("campaignId"), memberId)), Filters.eq("taskId", taskId)), Updates.combine(
                        Updates.set("status", "settled"), Updates.set("outcome", outcome))));
            }
        });
        write(claims);
        settle(taskId, deliveries == null ? "not-confirmed" : "settled", null);
    }

    /** WeCom refused the task for good: its recipients are recorded not sent. */
    private void fail(Document task, List<Document> members, String reason) {
        Document campaign = campaign(task);
        Instant now = clock.instant();
        receipts.release(externals(members), task.getString("_id"));
        facts.record(members.stream().map(member -> (Object) settled(campaign, task, member.getString("m"),
                CampaignMessageSettled.NOT_SENT, null, now)).toList());
        bulkClaims(members, task, Updates.combine(Updates.set("status", "settled"),
                Updates.set("outcome", CampaignMessageSettled.NOT_SENT)));
        log.warn("A mass-message task failed for good: {}", reason);
        settle(task.getString("_id"), "failed", reason);
    }

    private RecordCampaignMessageSettled settled(Document campaign, Document task, String memberId, String outcome,
                                                 Instant sentAt, Instant occurredAt) {
        return new RecordCampaignMessageSettled(memberId, task.getString("campaignId"), campaign.getString("name"),
                task.getString("_id"), task.getString("staffUserId"), outcome, sentAt,
                campaign.getString("joinWayState"), campaign.getList("joinChatIds", String.class, List.of()),
                occurredAt);
    }

    private void settle(String taskId, String status, String reason) {
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(Updates.set("status", status),
                reason == null ? Updates.unset("lastError") : Updates.set("lastError", reason),
                Updates.set("settledAt", Date.from(clock.instant())), Updates.unset("nextAt")))).block();
    }

    private void bulkClaims(List<Document> members, Document task, Bson change) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        members.forEach(member -> writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id",
                CampaignPlanner.key(task.getString("campaignId"), member.getString("m"))),
                Filters.eq("taskId", task.getString("_id"))), change)));
        write(writes);
    }

    private void write(List<WriteModel<Document>> writes) {
        for (int from = 0; from < writes.size(); from += 1000) {
            Mono.from(recipients.bulkWrite(writes.subList(from, Math.min(writes.size(), from + 1000)))).block();
        }
    }

    private Set<String> consenting(List<Document> members, String purpose) {
        Set<String> consenting = new HashSet<>();
        List<String> ids = members.stream().map(member -> member.getString("m")).toList();
        for (int from = 0; from < ids.size(); from += 1000) {
            consenting.addAll(queries.query(new FindConsentingMembers(ids.subList(from, Math.min(ids.size(),
                            from + 1000)), purpose), ResponseTypes.multipleInstancesOf(String.class))
                    .orTimeout(60, TimeUnit.SECONDS).join());
        }
        return consenting;
    }

    /** The campaign's attachments as WeCom takes them: a join way's QR code becomes an image of its URL. */
    private List<CampaignAttachment> attachments(Document campaign) {
        List<CampaignAttachment> attachments = new ArrayList<>();
        for (CampaignAttachment attachment : CampaignDefinitions.attachments(campaign)) {
            if ("join_way_qr".equals(attachment.type())) {
                JoinWays.JoinWay way = joinWays.find(attachment.joinWayState()).orElseThrow(() ->
                        new IllegalStateException("the join way " + attachment.joinWayState() + " is gone"));
                if (way.qrCode() == null) {
                    throw new IllegalStateException("the join way " + attachment.joinWayState() + " has no QR code");
                }
                attachments.add(new CampaignAttachment("image", null, way.qrCode(), null, null, null, null, null,
                        null));
            } else {
                attachments.add(attachment);
            }
        }
        return attachments;
    }

    private Document campaign(Document task) {
        return Mono.from(campaigns.find(Filters.eq("_id", task.getString("campaignId"))).first()).block();
    }

    private static List<String> externals(List<Document> members) {
        return members.stream().map(member -> member.getString("e")).toList();
    }
}
