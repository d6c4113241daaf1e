package io.siyu.projections.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.campaign.CampaignDefined;
import io.siyu.api.campaign.CampaignMessageHeldBack;
import io.siyu.api.campaign.CampaignMessageQueued;
import io.siyu.api.campaign.CampaignMessageSettled;
import io.siyu.api.campaign.CampaignRunPlanned;
import io.siyu.api.campaign.CampaignStopped;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.wecom.WeComGroupJoined;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Campaign results, from events alone (a rebuild gives the same numbers). One document per campaign
 * ({@code campaign_results}: definition, stop, the last {@link #RUNS_KEPT} runs' counts) and one per campaign and
 * recipient ({@code campaign_recipients}: where the member's message stands — queued, held back, sent, not a
 * contact, not confirmed, not sent — who sent it and when, and whether they then joined a group through the
 * campaign's join way within its window and bought after joining). A join through a campaign's join way
 * ({@code campaign_join_states}) and a purchase after such a join ({@code campaign_member_joins}, per member) are
 * found by point reads. Every write assigns what the event says, so an event applied again changes nothing.
 * <p>
 * {@link #results} reads a campaign's recipients (by the {@code c} field: an index on MongoDB, a scan embedded), so its
 * cost grows with the campaign's recipients, not with the member count or history.
 */
@Component
@ProcessingGroup(CampaignResults.PROCESSING_GROUP)
public class CampaignResults implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "campaign-results";
    static final String CAMPAIGNS = "campaign_results";
    static final String RECIPIENTS = "campaign_recipients";
    static final String JOIN_STATES = "campaign_join_states";
    static final String MEMBER_JOINS = "campaign_member_joins";
    static final int RUNS_KEPT = 400;

    private final MongoDatabase database;
    private final MongoCollection<Document> campaigns;
    private final MongoCollection<Document> recipients;
    private final MongoCollection<Document> joinStates;
    private final MongoCollection<Document> memberJoins;
    private final ZoneId zone;
    /** Each campaign's join window (a definition never changes): one read per campaign, not per event. */
    private final Map<String, Integer> windows = new java.util.concurrent.ConcurrentHashMap<>();

    @Autowired
    CampaignResults(MongoDatabase reactiveMongoDatabase, @Value("${siyu.business-zone:Asia/Shanghai}") ZoneId zone) {
        this(reactiveMongoDatabase, zone, "");
    }

    private CampaignResults(MongoDatabase database, ZoneId zone, String suffix) {
        this.database = database;
        this.zone = zone;
        this.campaigns = database.getCollection(CAMPAIGNS + suffix);
        this.recipients = database.getCollection(RECIPIENTS + suffix);
        this.joinStates = database.getCollection(JOIN_STATES + suffix);
        this.memberJoins = database.getCollection(MEMBER_JOINS + suffix);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<String> collections() {
        return List.of(CAMPAIGNS, RECIPIENTS, JOIN_STATES, MEMBER_JOINS);
    }

    @Override
    public Object shadow(String suffix) {
        return new CampaignResults(database, zone, suffix);
    }

    @EventListener(ApplicationReadyEvent.class)
    void index() {
        Mono.from(recipients.createIndex(Indexes.ascending("c", "m"))).onErrorResume(any -> Mono.empty()).block();
    }

    @EventHandler
    void on(CampaignDefined event, @Timestamp Instant definedAt) {
        Mono.from(campaigns.updateOne(Filters.eq("_id", event.campaignId()), Updates.combine(
                Updates.set("name", event.name()), Updates.set("segmentId", event.segmentId()),
                Updates.set("purpose", event.purpose()), Updates.set("schedule", event.schedule().kind()),
                Updates.set("startAt", Date.from(event.schedule().startAt() == null ? definedAt
                        : event.schedule().startAt())),
                Updates.set("endAt", event.schedule().endAt() == null ? null : Date.from(event.schedule().endAt())),
                Updates.set("joinWayState", event.joinWayState()), Updates.set("joinChatIds", event.joinChatIds()),
                Updates.set("joinWindowDays", event.joinWindowDays()), Updates.set("actor", event.actor()),
                Updates.set("definedAt", Date.from(definedAt))), new UpdateOptions().upsert(true))).block();
        windows.put(event.campaignId(), event.joinWindowDays());
        if (event.joinWayState() != null) {
            Mono.from(joinStates.updateOne(Filters.eq("_id", event.joinWayState()),
                    Updates.addToSet("campaigns", event.campaignId()), new UpdateOptions().upsert(true))).block();
        }
    }

    @EventHandler
    void on(CampaignStopped event, @Timestamp Instant at) {
        Mono.from(campaigns.updateOne(Filters.eq("_id", event.campaignId()), Updates.combine(
                Updates.set("stopped", true), Updates.set("stoppedAt", Date.from(at))))).block();
    }

    @EventHandler
    void on(CampaignRunPlanned event) {
        Document campaign = Mono.from(campaigns.find(Filters.eq("_id", event.campaignId())).first()).block();
        List<Document> runs = new ArrayList<>(campaign == null ? List.of()
                : campaign.getList("runs", Document.class, List.of()));
        if (runs.stream().anyMatch(run -> event.runId().equals(run.getString("runId")))) {
            return;
        }
        runs.add(new Document("runId", event.runId()).append("plannedAt", Date.from(event.plannedAt()))
                .append("inSegment", event.inSegment()).append("withoutConsent", event.withoutConsent())
                .append("withoutContact", event.withoutContact()).append("alreadyAddressed", event.alreadyAddressed())
                .append("newlyAddressed", event.newlyAddressed()));
        Mono.from(campaigns.updateOne(Filters.eq("_id", event.campaignId()), Updates.combine(
                Updates.set("runs", runs.subList(Math.max(0, runs.size() - RUNS_KEPT), runs.size())),
                Updates.set("runCount", Long.parseLong(event.runId().substring(1)))),
                new UpdateOptions().upsert(true))).block();
    }

    @EventHandler
    void on(CampaignMessageQueued event) {
        recipient(event.campaignId(), event.memberId(), doc -> {
            addressed(doc, event.occurredAt());
            doc.put("state", "queued");
            doc.put("staff", event.staffUserId());
            doc.put("queuedAt", Date.from(event.occurredAt()));
        });
    }

    @EventHandler
    void on(CampaignMessageHeldBack event) {
        recipient(event.campaignId(), event.memberId(), doc -> {
            addressed(doc, event.occurredAt());
            doc.put("state", event.retryAt() == null ? "given-up" : "held-back");
            doc.put("heldAt", Date.from(event.occurredAt()));
            doc.put("heldReason", event.reason());
        });
    }

    @EventHandler
    void on(CampaignMessageSettled event) {
        recipient(event.campaignId(), event.memberId(), doc -> {
            addressed(doc, event.occurredAt());
            doc.put("state", event.outcome());
            doc.put("staff", event.staffUserId());
            doc.put("settledAt", Date.from(event.occurredAt()));
            if (event.sentAt() != null) {
                doc.put("sentAt", Date.from(event.sentAt()));
            }
        });
    }

    /** A join through a campaign's join way: kept for each campaign inviting with it, and watched for a purchase. */
    @EventHandler
    void on(WeComGroupJoined event) {
        if (event.state() == null) {
            return;
        }
        Document state = Mono.from(joinStates.find(Filters.eq("_id", event.state())).first()).block();
        if (state == null) {
            return;
        }
        for (String campaignId : state.getList("campaigns", String.class, List.of())) {
            recipient(campaignId, event.memberId(), doc -> {
                Date known = doc.getDate("joinedAt");
                if (known == null || known.toInstant().isAfter(event.occurredAt())) {
                    doc.put("joinedAt", Date.from(event.occurredAt()));
                }
            });
            Mono.from(memberJoins.updateOne(Filters.eq("_id", event.memberId()),
                    Updates.addToSet("campaigns", campaignId), new UpdateOptions().upsert(true))).block();
        }
    }

    /** The first purchase after joining through a campaign's join way (the funnel's last stage). */
    @EventHandler
    void on(PurchaseRecorded event) {
        Document joins = Mono.from(memberJoins.find(Filters.eq("_id", event.memberId())).first()).block();
        if (joins == null) {
            return;
        }
        for (String campaignId : joins.getList("campaigns", String.class, List.of())) {
            recipient(campaignId, event.memberId(), doc -> {
                Date joined = doc.getDate("joinedAt");
                Date known = doc.getDate("purchasedAt");
                if (joined != null && !event.occurredAt().isBefore(joined.toInstant())
                        && (known == null || known.toInstant().isAfter(event.occurredAt()))) {
                    doc.put("purchasedAt", Date.from(event.occurredAt()));
                }
            });
        }
    }

    @ResetHandler
    void reset() {
        windows.clear();
        for (MongoCollection<Document> collection : List.of(campaigns, recipients, joinStates, memberJoins)) {
            Mono.from(collection.deleteMany(new Document())).block();
        }
    }

    private static void addressed(Document doc, Instant at) {
        Date known = doc.getDate("addressedAt");
        if (known == null || known.toInstant().isAfter(at)) {
            doc.put("addressedAt", Date.from(at));
        }
    }

    /** Changes one recipient's document and works out again whether they joined and bought through the campaign. */
    private void recipient(String campaignId, String memberId, Consumer<Document> change) {
        String id = campaignId + "|" + memberId;
        Document doc = Mono.from(recipients.find(Filters.eq("_id", id)).first()).blockOptional()
                .orElseGet(() -> new Document("_id", id).append("c", campaignId).append("m", memberId));
        change.accept(doc);
        int window = windows.computeIfAbsent(campaignId, key -> Mono.from(campaigns.find(Filters.eq("_id", key)).first())
                .map(campaign -> campaign.getInteger("joinWindowDays", 7)).blockOptional().orElse(7));
        Date sent = doc.getDate("sentAt");
        Date joined = doc.getDate("joinedAt");
        boolean joinedThrough = sent != null && joined != null && !joined.before(sent)
                && !joined.toInstant().isAfter(sent.toInstant().plus(Duration.ofDays(window)));
        doc.put("joined", joinedThrough);
        Date purchased = doc.getDate("purchasedAt");
        doc.put("purchasedAfterJoin", joinedThrough && purchased != null && !purchased.before(joined));
        Mono.from(recipients.replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true))).block();
    }

    /** How one staff member's part of a campaign stands. */
    public record StaffResult(String staffUserId, long addressed, long awaitingConfirmation, long sent,
                              long notConfirmed, long notAContact, long notSent, long joined) {
    }

    /** One business day of a campaign. */
    public record DayResult(LocalDate day, long addressed, long heldBack, long sent, long joined,
                            long firstPurchaseAfterJoin) {
    }

    /** One run's counts. */
    public record RunResult(String runId, Instant plannedAt, long inSegment, long withoutConsent, long withoutContact,
                            long alreadyAddressed, long newlyAddressed) {
    }

    /** Members held back, by reason: consent and no contact as the latest run found them, the limit as it stands. */
    public record HeldBack(long consent, long noContact, long receiveLimit, long givenUp) {
    }

    /**
     * A campaign's results.
     *
     * @param targeted               members the campaign addressed (queued with a staff member or held back by the
     *                               receive limit), each counted once
     * @param heldBack               members held back
     * @param awaitingConfirmation   queued, the staff member has not confirmed yet
     * @param sent                   WeCom sent it
     * @param notAContact            the relationship had ended (or WeCom could not use the external user id)
     * @param notConfirmed           the staff member did not confirm before the deadline
     * @param notSent                confirmed but not sent, or WeCom refused the task
     * @param joined                 sent, then joined a group through the campaign's join way within
     *                               {@code joinWindowDays}
     * @param firstPurchaseAfterJoin of those, members who bought after joining
     */
    public record Result(String campaignId, String name, String segmentId, String schedule, Instant startAt,
                         Instant endAt, String joinWayState, List<String> joinChatIds, int joinWindowDays,
                         boolean stopped, Instant definedAt, long runCount, List<RunResult> runs, long targeted,
                         HeldBack heldBack, long awaitingConfirmation, long sent, long notAContact, long notConfirmed,
                         long notSent, long joined, long firstPurchaseAfterJoin, List<StaffResult> byStaff,
                         List<DayResult> byDay) {
    }

    /** A campaign's definition as the list shows it. */
    public record Listed(String campaignId, String name, String segmentId, String schedule, boolean stopped,
                         Instant definedAt, long runCount) {
    }

    /** @return every campaign, newest first (the campaign documents without their recipients) */
    public List<Listed> all() {
        return Flux.from(campaigns.find(Filters.exists("name")).projection(Projections.exclude("runs"))
                        .sort(Sorts.descending("definedAt")))
                .map(doc -> new Listed(doc.getString("_id"), doc.getString("name"), doc.getString("segmentId"),
                        doc.getString("schedule"), doc.getBoolean("stopped", false),
                        doc.getDate("definedAt").toInstant(), doc.get("runCount", 0L)))
                .collectList().block();
    }

    /** @return the campaign's results with days {@code [from, to]} (business days), or empty if unknown */
    public Optional<Result> results(String campaignId, LocalDate from, LocalDate to) {
        Document campaign = Mono.from(campaigns.find(Filters.eq("_id", campaignId)).first()).block();
        if (campaign == null || campaign.getString("name") == null) {
            return Optional.empty();
        }
        long targeted = 0;
        long held = 0;
        long givenUp = 0;
        long awaiting = 0;
        long sent = 0;
        long notAContact = 0;
        long notConfirmed = 0;
        long notSent = 0;
        long joined = 0;
        long purchased = 0;
        Map<String, long[]> staff = new TreeMap<>();
        Map<LocalDate, long[]> days = new TreeMap<>();
        Bson fields = Projections.include("state", "staff", "addressedAt", "heldAt", "sentAt", "joinedAt",
                "purchasedAt", "joined", "purchasedAfterJoin");
        for (Document doc : Flux.from(recipients.find(Filters.eq("c", campaignId)).projection(fields).batchSize(1000))
                .toIterable()) {
            if (doc.getDate("addressedAt") == null) {
                continue; // joined through the join way without being a recipient
            }
            targeted++;
            String state = doc.getString("state");
            boolean hasJoined = doc.getBoolean("joined", false);
            boolean hasBought = doc.getBoolean("purchasedAfterJoin", false);
            switch (state == null ? "" : state) {
                case "held-back", CampaignMessageSettled.RECEIVE_LIMIT -> held++;
                case "given-up" -> givenUp++;
                case "queued" -> awaiting++;
                case CampaignMessageSettled.SENT -> sent++;
                case CampaignMessageSettled.NOT_A_CONTACT -> notAContact++;
                case CampaignMessageSettled.NOT_CONFIRMED -> notConfirmed++;
                default -> notSent++;
            }
            joined += hasJoined ? 1 : 0;
            purchased += hasBought ? 1 : 0;
            if (doc.getString("staff") != null) {
                long[] counts = staff.computeIfAbsent(doc.getString("staff"), any -> new long[7]);
                counts[0]++;
                counts[1] += "queued".equals(state) ? 1 : 0;
                counts[2] += CampaignMessageSettled.SENT.equals(state) ? 1 : 0;
                counts[3] += CampaignMessageSettled.NOT_CONFIRMED.equals(state) ? 1 : 0;
                counts[4] += CampaignMessageSettled.NOT_A_CONTACT.equals(state) ? 1 : 0;
                counts[5] += CampaignMessageSettled.NOT_SENT.equals(state) ? 1 : 0;
                counts[6] += hasJoined ? 1 : 0;
            }
            day(days, doc.getDate("addressedAt"), from, to, 0);
            if ("held-back".equals(state) || "given-up".equals(state)) {
                day(days, doc.getDate("heldAt"), from, to, 1);
            }
            day(days, doc.getDate("sentAt"), from, to, 2);
            if (hasJoined) {
                day(days, doc.getDate("joinedAt"), from, to, 3);
            }
            if (hasBought) {
                day(days, doc.getDate("purchasedAt"), from, to, 4);
            }
        }
        List<RunResult> runs = campaign.getList("runs", Document.class, List.of()).stream()
                .map(run -> new RunResult(run.getString("runId"), run.getDate("plannedAt").toInstant(),
                        run.getLong("inSegment"), run.getLong("withoutConsent"), run.getLong("withoutContact"),
                        run.getLong("alreadyAddressed"), run.getLong("newlyAddressed")))
                .toList();
        RunResult last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        List<DayResult> byDay = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long[] counts = days.getOrDefault(day, new long[5]);
            byDay.add(new DayResult(day, counts[0], counts[1], counts[2], counts[3], counts[4]));
        }
        List<StaffResult> byStaff = new ArrayList<>();
        staff.forEach((id, counts) -> byStaff.add(new StaffResult(id, counts[0], counts[1], counts[2], counts[3],
                counts[4], counts[5], counts[6])));
        Date endAt = campaign.getDate("endAt");
        return Optional.of(new Result(campaignId, campaign.getString("name"), campaign.getString("segmentId"),
                campaign.getString("schedule"), campaign.getDate("startAt").toInstant(),
                endAt == null ? null : endAt.toInstant(), campaign.getString("joinWayState"),
                campaign.getList("joinChatIds", String.class, List.of()), campaign.getInteger("joinWindowDays", 7),
                campaign.getBoolean("stopped", false), campaign.getDate("definedAt").toInstant(),
                campaign.get("runCount", 0L), runs.subList(Math.max(0, runs.size() - 30), runs.size()), targeted,
                new HeldBack(last == null ? 0 : last.withoutConsent(), last == null ? 0 : last.withoutContact(), held,
                        givenUp), awaiting, sent, notAContact, notConfirmed, notSent, joined, purchased, byStaff,
                byDay));
    }

    private void day(Map<LocalDate, long[]> days, Date at, LocalDate from, LocalDate to, int column) {
        if (at == null) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(at.toInstant(), zone);
        if (!day.isBefore(from) && !day.isAfter(to)) {
            days.computeIfAbsent(day, any -> new long[5])[column]++;
        }
    }

    /** One recipient as a list shows them: the member id, where their message stands, who sent it, and when. */
    public record Recipient(String memberId, String state, String staffUserId, Instant addressedAt, Instant sentAt,
                            Instant joinedAt, boolean joined, boolean purchasedAfterJoin) {
    }

    /**
     * A page of a campaign's recipients in member id order, all or those in one state ({@code queued},
     * {@code held-back}, {@code given-up}, {@code sent}, {@code not-a-contact}, {@code not-confirmed},
     * {@code not-sent}) or {@code joined}.
     */
    public List<Recipient> recipients(String campaignId, String state, String after, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("c", campaignId), Filters.exists("addressedAt")));
        if ("joined".equals(state)) {
            filters.add(Filters.eq("joined", true));
        } else if (state != null) {
            filters.add(Filters.eq("state", state));
        }
        if (after != null) {
            filters.add(Filters.gt("m", after));
        }
        return Flux.from(recipients.find(Filters.and(filters)).sort(Sorts.ascending("m")).limit(limit))
                .map(doc -> new Recipient(doc.getString("m"), doc.getString("state"), doc.getString("staff"),
                        instant(doc.getDate("addressedAt")), instant(doc.getDate("sentAt")),
                        instant(doc.getDate("joinedAt")), doc.getBoolean("joined", false),
                        doc.getBoolean("purchasedAfterJoin", false)))
                .collectList().block();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
