package io.siyu.wecom.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.axonframework.queryhandling.QueryGateway;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.campaign.CampaignAudiencePage;
import io.siyu.api.campaign.CampaignMessageHeldBack;
import io.siyu.api.campaign.FindCampaignAudience;
import io.siyu.api.campaign.RecordCampaignMessageHeldBack;
import io.siyu.api.campaign.RecordCampaignRun;
import io.siyu.wecom.store.FirstWrite;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plans campaign runs into mass-message tasks. A run reads the segment's consenting members page by page (from the
 * engine's member index, evaluated then), and for each member with a WeCom contact who was never addressed by the
 * campaign: claims them ({@code wecom_campaign_recipients}, keyed by campaign and member — the claim is what makes a
 * campaign reach a member at most once, however often a standing rule runs and whatever crashes), picks the sender
 * ({@link SenderRule}) and either adds them to that staff member's task of the run ({@code wecom_campaign_tasks}, up
 * to {@code batch-size} each) and counts the message against their receive limit at once, or — at the limit — holds
 * them back until the next window ({@code CampaignMessageHeldBack} on their stream). Progress is saved after every
 * page ({@code currentRun.after}), so a run cut short by a crash goes on from its last page; a member claimed by the
 * run before the crash is found in their task again, not claimed twice. The run's counts are recorded on the
 * campaign's stream when it ends; its tasks are then ready to send.
 */
@Component
class CampaignPlanner {

    static final String RECIPIENTS = "wecom_campaign_recipients";
    static final String TASKS = "wecom_campaign_tasks";
    static final int PAGE = 1000;

    private final MongoCollection<Document> campaigns;
    private final MongoCollection<Document> recipients;
    private final MongoCollection<Document> tasks;
    private final QueryGateway queries;
    private final MassReceipts receipts;
    private final EngineFacts facts;
    private final Clock clock;
    private final ReceiveLimit limit;
    private final SenderRule senderRule;
    private final CampaignProperties properties;

    CampaignPlanner(MongoDatabase reactiveMongoDatabase, QueryGateway queries, MassReceipts receipts,
                    EngineFacts facts, Clock clock, CampaignProperties properties,
                    @Value("${siyu.business-zone:Asia/Shanghai}") ZoneId zone) {
        this.campaigns = reactiveMongoDatabase.getCollection(CampaignDefinitions.COLLECTION);
        this.recipients = reactiveMongoDatabase.getCollection(RECIPIENTS);
        this.tasks = reactiveMongoDatabase.getCollection(TASKS);
        this.queries = queries;
        this.receipts = receipts;
        this.facts = facts;
        this.clock = clock;
        this.properties = properties;
        this.limit = new ReceiveLimit(properties.receiveLimit(), properties.receiveWindow(), zone);
        this.senderRule = new SenderRule(properties.senderRule());
    }

    /** Held-back members and open tasks are looked up by campaign and state: indexes on MongoDB (a scan embedded). */
    @EventListener(ApplicationReadyEvent.class)
    void index() {
        Mono.from(recipients.createIndex(Indexes.ascending("c", "status"))).onErrorResume(any -> Mono.empty()).block();
        Mono.from(tasks.createIndex(Indexes.ascending("status"))).onErrorResume(any -> Mono.empty()).block();
        Mono.from(tasks.createIndex(Indexes.ascending("campaignId", "runId"))).onErrorResume(any -> Mono.empty())
                .block();
    }

    ReceiveLimit limit() {
        return limit;
    }

    /** A run's counts so far. */
    private record Counts(long withoutContact, long already, long newly) {
    }

    /** Plans (or goes on planning) the campaign's due run, then records it and schedules the next. */
    void run(Document campaign, Runnable stillHolding) {
        String campaignId = campaign.getString("_id");
        Document current = campaign.get("currentRun", Document.class);
        if (current == null) {
            String runId = "r" + (campaign.getInteger("runs", 0) + 1);
            current = new Document("runId", runId).append("startedAt", Date.from(clock.instant()))
                    .append("withoutContact", 0L).append("already", 0L).append("newly", 0L);
            Mono.from(campaigns.updateOne(Filters.and(Filters.eq("_id", campaignId),
                    Filters.exists("currentRun", false)), Updates.set("currentRun", current))).block();
            campaign = Mono.from(campaigns.find(Filters.eq("_id", campaignId)).first()).block();
            current = campaign.get("currentRun", Document.class);
        }
        String runId = current.getString("runId");
        Buckets buckets = Buckets.of(Flux.from(tasks.find(Filters.and(Filters.eq("campaignId", campaignId),
                Filters.eq("runId", runId)))).collectList().block(), campaignId, runId, properties.batchSize());
        String after = current.getString("after");
        boolean started = current.containsKey("inSegment");
        while (!(started && after == null)) {
            CampaignAudiencePage page = queries.query(new FindCampaignAudience(campaign.getString("segmentId"),
                    campaign.getString("purpose"), after, PAGE), CampaignAudiencePage.class)
                    .orTimeout(60, TimeUnit.SECONDS).join();
            Counts counts = plan(campaign, runId, page.members(), buckets);
            var progress = new ArrayList<>(List.of(Updates.set("currentRun.after", page.nextAfter()),
                    Updates.inc("currentRun.withoutContact", counts.withoutContact()),
                    Updates.inc("currentRun.already", counts.already()),
                    Updates.inc("currentRun.newly", counts.newly())));
            if (!started) {
                progress.add(Updates.set("currentRun.inSegment", page.inSegment()));
                progress.add(Updates.set("currentRun.withoutConsent", page.withoutConsent()));
                started = true;
            }
            Mono.from(campaigns.updateOne(Filters.eq("_id", campaignId), Updates.combine(progress))).block();
            stillHolding.run();
            after = page.nextAfter();
        }
        Document done = Mono.from(campaigns.find(Filters.eq("_id", campaignId)).first()).block()
                .get("currentRun", Document.class);
        Mono.from(tasks.updateMany(Filters.and(Filters.eq("campaignId", campaignId), Filters.eq("runId", runId),
                Filters.eq("status", "open")), Updates.set("status", "ready"))).block();
        facts.send(new RecordCampaignRun(campaignId, runId, done.getDate("startedAt").toInstant(),
                number(done, "inSegment"), number(done, "withoutConsent"), number(done, "withoutContact"),
                number(done, "already"), number(done, "newly")));
        int runs = Integer.parseInt(runId.substring(1));
        Mono.from(campaigns.updateOne(Filters.eq("_id", campaignId), Updates.combine(Updates.set("runs", runs),
                Updates.set("lastRunAt", done.getDate("startedAt")), Updates.set("nextRunAt", next(campaign)),
                Updates.unset("currentRun")))).block();
    }

    /** The next run of a standing rule (the start time's next 24-hour step after now, before the end), or none. */
    private Date next(Document campaign) {
        if (!campaign.getBoolean("daily", false) || campaign.getBoolean("stopped", false)) {
            return null;
        }
        Instant start = campaign.getDate("startAt").toInstant();
        Instant now = clock.instant();
        long steps = Duration.between(start, now).toDays() + 1;
        Instant next = start.plus(Duration.ofDays(Math.max(1, steps)));
        Date end = campaign.getDate("endAt");
        return end != null && next.isAfter(end.toInstant()) ? null : Date.from(next);
    }

    private Counts plan(Document campaign, String runId, List<CampaignAudiencePage.Recipient> page, Buckets buckets) {
        String campaignId = campaign.getString("_id");
        Instant now = clock.instant();
        Map<String, Document> claimed = new HashMap<>();
        if (!page.isEmpty()) {
            Flux.from(recipients.find(Filters.in("_id", page.stream().map(r -> key(campaignId, r.memberId()))
                    .toList()))).toIterable().forEach(claim -> claimed.put(claim.getString("m"), claim));
        }
        long withoutContact = 0;
        long already = 0;
        long newly = 0;
        Map<String, List<Document>> readded = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (CampaignAudiencePage.Recipient recipient : page) {
            Document claim = claimed.get(recipient.memberId());
            if (claim != null) {
                if (runId.equals(claim.getString("runId"))) {
                    newly++; // planned by this run before a crash
                    if ("planned".equals(claim.getString("status"))) {
                        buckets.remember(claim.getString("taskId"), claim.getString("staff"));
                        readded.computeIfAbsent(claim.getString("taskId"), any -> new ArrayList<>())
                                .add(entry(claim.getString("m"), claim.getString("ext")));
                    }
                } else {
                    already++;
                }
                continue;
            }
            var contact = senderRule.choose(recipient.contacts());
            if (contact.isEmpty()) {
                withoutContact++;
                continue;
            }
            candidates.add(new Candidate(recipient.memberId(), contact.get().staffUserId(),
                    contact.get().externalUserId()));
        }
        Map<String, List<java.time.Instant>> received = receipts.of(candidates.stream().map(Candidate::ext).toList());
        List<Document> claims = new ArrayList<>(candidates.size());
        Instant retryAt = limit.nextWindow(now);
        for (Candidate candidate : candidates) {
            Document claim = new Document("_id", key(campaignId, candidate.memberId())).append("c", campaignId)
                    .append("m", candidate.memberId()).append("staff", candidate.staff())
                    .append("ext", candidate.ext()).append("runId", runId).append("attempt", 1)
                    .append("firstPlannedAt", Date.from(now));
            if (limit.allows(received.getOrDefault(candidate.ext(), List.of()), now)) {
                claim.append("status", "planned").append("taskId", buckets.take(candidate.staff()));
            } else {
                claim.append("status", "held").append("retryAt", Date.from(retryAt));
            }
            claims.add(claim);
        }
        List<Document> won = Flux.fromIterable(claims)
                .flatMapSequential(claim -> FirstWrite.insert(recipients, claim).map(first -> first ? claim
                        : new Document()), 32)
                .filter(claim -> !claim.isEmpty()).collectList().block();
        already += claims.size() - won.size();
        newly += won.size();
        Map<String, List<Document>> byTask = new LinkedHashMap<>(readded);
        List<RecordCampaignMessageHeldBack> held = new ArrayList<>();
        for (Document claim : won) {
            if ("planned".equals(claim.getString("status"))) {
                byTask.computeIfAbsent(claim.getString("taskId"), any -> new ArrayList<>())
                        .add(entry(claim.getString("m"), claim.getString("ext")));
            } else {
                held.add(new RecordCampaignMessageHeldBack(claim.getString("m"), campaignId,
                        campaign.getString("name"), CampaignMessageHeldBack.RECEIVE_LIMIT, 1, retryAt, now));
            }
        }
        byTask.forEach((taskId, members) -> addToTask(taskId, campaignId, runId, buckets.staffOf(taskId), members));
        if (!held.isEmpty()) {
            Mono.from(campaigns.updateOne(Filters.eq("_id", campaignId), Updates.min("nextRetryAt",
                    Date.from(retryAt)))).block();
        }
        facts.record(held);
        return new Counts(withoutContact, already, newly);
    }

    /**
     * Plans again the campaign's members held back by the receive limit whose window has come: each is added to a
     * task of a retry run (consent is checked again when the task is sent), held back again if still at the limit,
     * or given up after {@code give-up-after}.
     */
    void retry(Document campaign, Runnable stillHolding) {
        String campaignId = campaign.getString("_id");
        Instant now = clock.instant();
        String runId = "h" + now.getEpochSecond();
        Buckets buckets = Buckets.of(List.of(), campaignId, runId, properties.batchSize());
        List<Document> heldBack = Flux.from(recipients.find(Filters.and(Filters.eq("c", campaignId),
                Filters.eq("status", "held")))).collectList().block();
        List<Document> due = heldBack.stream().filter(claim -> !claim.getDate("retryAt").toInstant().isAfter(now))
                .toList();
        Map<String, List<Instant>> received = receipts.of(due.stream().map(claim -> claim.getString("ext")).toList());
        Instant retryAt = limit.nextWindow(now);
        Map<String, List<Document>> byTask = new LinkedHashMap<>();
        List<RecordCampaignMessageHeldBack> events = new ArrayList<>();
        Instant nextRetry = heldBack.stream().map(claim -> claim.getDate("retryAt").toInstant())
                .filter(at -> at.isAfter(now)).min(Instant::compareTo).orElse(null);
        for (Document claim : due) {
            int attempt = claim.getInteger("attempt", 1) + 1;
            boolean givenUp = claim.getDate("firstPlannedAt").toInstant().plus(properties.giveUpAfter()).isBefore(now);
            boolean allowed = !givenUp && limit.allows(received.getOrDefault(claim.getString("ext"), List.of()), now);
            String taskId = allowed ? buckets.take(claim.getString("staff")) : null;
            var change = allowed
                    ? Updates.combine(Updates.set("status", "planned"), Updates.set("taskId", taskId),
                            Updates.set("runId", runId), Updates.set("attempt", attempt), Updates.unset("retryAt"))
                    : givenUp
                    ? Updates.combine(Updates.set("status", "settled"), Updates.set("outcome", "given-up"),
                            Updates.set("attempt", attempt), Updates.unset("retryAt"))
                    : Updates.combine(Updates.set("attempt", attempt), Updates.set("retryAt", Date.from(retryAt)));
            boolean mine = Mono.from(recipients.updateOne(Filters.and(Filters.eq("_id", claim.getString("_id")),
                    Filters.eq("status", "held"), Filters.eq("attempt", attempt - 1)), change))
                    .map(result -> result.getModifiedCount() > 0).block();
            if (!mine) {
                continue;
            }
            if (allowed) {
                byTask.computeIfAbsent(taskId, any -> new ArrayList<>())
                        .add(entry(claim.getString("m"), claim.getString("ext")));
            } else {
                events.add(new RecordCampaignMessageHeldBack(claim.getString("m"), campaignId,
                        campaign.getString("name"), CampaignMessageHeldBack.RECEIVE_LIMIT, attempt,
                        givenUp ? null : retryAt, now));
                if (!givenUp && (nextRetry == null || retryAt.isBefore(nextRetry))) {
                    nextRetry = retryAt;
                }
            }
        }
        byTask.forEach((taskId, members) -> addToTask(taskId, campaignId, runId, buckets.staffOf(taskId), members));
        // members a retry run claimed before a crash cut it short of adding them to their task: added now (a task's
        // members are added in one write, so a task that exists has them all)
        List<Document> stranded = Flux.from(recipients.find(Filters.and(Filters.eq("c", campaignId),
                Filters.eq("status", "planned")))).filter(claim -> claim.getString("runId").startsWith("h")
                && !claim.getString("runId").equals(runId)).collectList().block();
        if (!stranded.isEmpty()) {
            java.util.Set<String> existing = new java.util.HashSet<>();
            Flux.from(tasks.find(Filters.in("_id", stranded.stream().map(claim -> claim.getString("taskId"))
                    .distinct().toList()))).toIterable().forEach(task -> existing.add(task.getString("_id")));
            Map<String, List<Document>> lost = new LinkedHashMap<>();
            Map<String, String[]> lostTask = new HashMap<>();
            stranded.stream().filter(claim -> !existing.contains(claim.getString("taskId"))).forEach(claim -> {
                lost.computeIfAbsent(claim.getString("taskId"), any -> new ArrayList<>())
                        .add(entry(claim.getString("m"), claim.getString("ext")));
                lostTask.put(claim.getString("taskId"), new String[] {claim.getString("runId"),
                        claim.getString("staff")});
            });
            lost.forEach((taskId, members) -> addToTask(taskId, campaignId, lostTask.get(taskId)[0],
                    lostTask.get(taskId)[1], members));
        }
        Mono.from(tasks.updateMany(Filters.and(Filters.eq("campaignId", campaignId),
                Filters.regex("runId", "^h"), Filters.eq("status", "open")), Updates.set("status", "ready"))).block();
        facts.record(events);
        Mono.from(campaigns.updateOne(Filters.eq("_id", campaignId), nextRetry == null
                ? Updates.unset("nextRetryAt") : Updates.set("nextRetryAt", Date.from(nextRetry)))).block();
        stillHolding.run();
    }

    /**
     * A stopped campaign gives up the members it held back by the receive limit: each is recorded given up
     * ({@code CampaignMessageHeldBack} without a retry), none is left waiting for a window that will not come.
     */
    void giveUp(Document campaign) {
        String campaignId = campaign.getString("_id");
        Instant now = clock.instant();
        List<RecordCampaignMessageHeldBack> events = new ArrayList<>();
        for (Document claim : Flux.from(recipients.find(Filters.and(Filters.eq("c", campaignId),
                Filters.eq("status", "held")))).collectList().block()) {
            int attempt = claim.getInteger("attempt", 1) + 1;
            boolean mine = Mono.from(recipients.updateOne(Filters.and(Filters.eq("_id", claim.getString("_id")),
                    Filters.eq("status", "held"), Filters.eq("attempt", attempt - 1)), Updates.combine(
                    Updates.set("status", "settled"), Updates.set("outcome", "given-up"),
                    Updates.set("attempt", attempt), Updates.unset("retryAt"))))
                    .map(result -> result.getModifiedCount() > 0).block();
            if (mine) {
                events.add(new RecordCampaignMessageHeldBack(claim.getString("m"), campaignId,
                        campaign.getString("name"), CampaignMessageHeldBack.RECEIVE_LIMIT, attempt, null, now));
            }
        }
        facts.record(events);
        Mono.from(campaigns.updateOne(Filters.eq("_id", campaignId), Updates.unset("nextRetryAt"))).block();
    }

    /** Adds members to a task (a second add of the same member changes nothing) and counts it against their limit. */
    private void addToTask(String taskId, String campaignId, String runId, String staff, List<Document> members) {
        Mono.from(tasks.updateOne(Filters.eq("_id", taskId), Updates.combine(
                Updates.setOnInsert("campaignId", campaignId), Updates.setOnInsert("runId", runId),
                Updates.setOnInsert("staffUserId", staff), Updates.setOnInsert("status", "open"),
                Updates.setOnInsert("openedAt", Date.from(clock.instant())),
                Updates.addEachToSet("recipients", members)), new UpdateOptions().upsert(true))).block();
        Map<String, Instant> counted = new LinkedHashMap<>();
        members.forEach(member -> counted.put(member.getString("e"), clock.instant()));
        receipts.record(counted, taskId);
    }

    static String key(String campaignId, String memberId) {
        return campaignId + "|" + memberId;
    }

    private static Document entry(String memberId, String externalUserId) {
        return new Document("m", memberId).append("e", externalUserId);
    }

    private static long number(Document run, String field) {
        Object value = run.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private record Candidate(String memberId, String staff, String ext) {
    }

    /** The tasks of one run per staff member: the current one fills up to the batch size, then the next begins. */
    private static final class Buckets {
        private final String prefix;
        private final int size;
        private final Map<String, int[]> byStaff = new HashMap<>();
        private final Map<String, String> staffOfTask = new HashMap<>();

        private Buckets(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        static Buckets of(List<Document> existing, String campaignId, String runId, int size) {
            Buckets buckets = new Buckets(campaignId + "|" + runId + "|", size);
            for (Document task : existing) {
                String staff = task.getString("staffUserId");
                int n = Integer.parseInt(task.getString("_id").substring(task.getString("_id").lastIndexOf('|') + 1));
                int[] state = buckets.byStaff.computeIfAbsent(staff, any -> new int[] {0, 0});
                int filled = task.getList("recipients", Document.class, List.of()).size();
                if (n > state[0] || n == state[0] && filled > state[1]) {
                    state[0] = n;
                    state[1] = filled;
                }
                buckets.staffOfTask.put(task.getString("_id"), staff);
            }
            return buckets;
        }

        String take(String staff) {
            int[] state = byStaff.computeIfAbsent(staff, any -> new int[] {0, 0});
            if (state[1] >= size) {
                state[0]++;
                state[1] = 0;
            }
            state[1]++;
            String taskId = prefix + staff + "|" + state[0];
            staffOfTask.put(taskId, staff);
            return taskId;
        }

        void remember(String taskId, String staff) {
            staffOfTask.putIfAbsent(taskId, staff);
        }

        String staffOf(String taskId) {
            return staffOfTask.get(taskId);
        }
    }
}
