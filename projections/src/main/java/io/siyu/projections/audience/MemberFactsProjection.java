package io.siyu.projections.audience;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.ConsentChanged;
import io.siyu.api.member.MemberErased;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.api.segment.MemberEnteredSegment;
import io.siyu.api.segment.MemberLeftSegment;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.wecom.WeComContactAdded;
import io.siyu.api.wecom.WeComContactRemoved;
import io.siyu.api.wecom.WeComGroupJoined;
import io.siyu.api.wecom.WeComGroupLeft;
import io.siyu.api.wecom.WeComTagsChanged;
import io.siyu.projections.support.MemberDocuments;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Mono;

/**
 * What marketers select members by: one document per member ({@code member_facts}) with registration, tier,
 * balance, streak, every order (net of refunds), WeCom contacts, groups and tags, consents, the saved segments the
 * member is in (and when they entered and left each), and when the member reached each stage of the private-domain funnel. After each batch the changed
 * documents go into the {@link MemberIndex} that segments and the funnel are answered from. WeCom external user ids
 * are linked to members in {@code wecom_contacts} (one document per external user id) for the chat sidebar.
 */
@Component
@ProcessingGroup(MemberFactsProjection.PROCESSING_GROUP)
public class MemberFactsProjection implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "member-facts";
    public static final String COLLECTION = "member_facts";
    public static final String CONTACTS = "wecom_contacts";
    private static final String MEMBER_AGGREGATE = "Member";

    private final MemberDocuments facts;
    private final MongoCollection<Document> contacts;
    private final MemberIndex index;

    private final MongoDatabase database;
    private final MeterRegistry meterRegistry;

    @Autowired
    MemberFactsProjection(MongoDatabase reactiveMongoDatabase, MeterRegistry meterRegistry, MemberIndex index) {
        this(reactiveMongoDatabase, meterRegistry, index, "");
        index.load(facts.collection());
    }

    /** @param index the index to keep current, or {@code null} for a shadow */
    private MemberFactsProjection(MongoDatabase database, MeterRegistry meterRegistry, MemberIndex index,
                                  String suffix) {
        this.database = database;
        this.meterRegistry = meterRegistry;
        this.contacts = database.getCollection(CONTACTS + suffix);
        this.index = index;
        this.facts = new MemberDocuments(database.getCollection(COLLECTION + suffix), PROCESSING_GROUP + suffix,
                meterRegistry, index == null ? changed -> { } : index::apply);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<String> collections() {
        return List.of(COLLECTION, CONTACTS);
    }

    @Override
    public Object shadow(String suffix) {
        return new MemberFactsProjection(database, meterRegistry, null, suffix);
    }

    /** The rebuilt documents replaced the live ones: the index is read again from them. */
    @Override
    public void switched() {
        index.reload(facts.collection());
    }

    @EventHandler
    void on(MemberRegistered event, @SequenceNumber long sequence, @Timestamp Instant at) {
        facts.update(event.memberId(), sequence, member -> {
            member.put("registeredAt", Date.from(at));
            member.put("channel", (event.channel() == null ? SalesChannel.MINI_PROGRAM : event.channel()).code());
            member.put("storeId", event.storeId());
            member.put("unionid", event.unionid());
            stages(member);
        });
    }

    @EventHandler
    void on(PurchaseRecorded event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            List<Document> orders = new ArrayList<>(member.getList("orders", Document.class, List.of()));
            orders.add(new Document("orderId", event.orderId()).append("at", Date.from(event.occurredAt()))
                    .append("amountFen", event.amountFen()).append("refundedFen", 0L)
                    .append("storeId", event.storeId()));
            orders.sort((a, b) -> a.getDate("at").compareTo(b.getDate("at")));
            member.put("orders", orders);
            stages(member);
        });
    }

    @EventHandler
    void on(PurchaseRefunded event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> member.getList("orders", Document.class, List.of())
                .stream().filter(order -> order.getString("orderId").equals(event.orderId()))
                .forEach(order -> order.put("refundedFen", event.refundedTotalFen())));
    }

    @EventHandler
    void on(PointsEarned event, @SequenceNumber long sequence) {
        balance(event.memberId(), sequence, event.balanceAfter());
    }

    @EventHandler
    void on(PointsReversed event, @SequenceNumber long sequence) {
        balance(event.memberId(), sequence, event.balanceAfter());
    }

    /** A redemption also makes the member active (the overview's monthly active members). */
    @EventHandler
    void on(PointsRedeemed event, @SequenceNumber long sequence, @Timestamp Instant at) {
        facts.update(event.memberId(), sequence, member -> {
            member.put("balance", event.balanceAfter());
            member.put("lastRedeemedAt", Date.from(at));
        });
    }

    @EventHandler
    void on(PointsExpired event, @SequenceNumber long sequence) {
        balance(event.memberId(), sequence, event.balanceAfter());
    }

    @EventHandler
    void on(PointsAdjusted event, @SequenceNumber long sequence) {
        balance(event.memberId(), sequence, event.balanceAfter());
    }

    @EventHandler
    void on(CheckedIn event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            member.put("streak", event.streak());
            member.put("lastCheckInDay", event.day().toString());
        });
    }

    @EventHandler
    void on(TierChanged event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> member.put("tier", event.to()));
    }

    @EventHandler
    void on(ConsentChanged event, @SequenceNumber long sequence,
            @org.axonframework.eventhandling.Timestamp java.time.Instant at) {
        facts.update(event.memberId(), sequence, member -> {
            Document consents = new Document(member.get("consents", new Document()));
            consents.put(event.purpose(), event.granted());
            member.put("consents", consents);
            // the member's own record of what they agreed to and withdrew, newest last, bounded
            List<Document> history = new ArrayList<>(member.getList("consentHistory", Document.class, List.of()));
            history.add(new Document("purpose", event.purpose()).append("granted", event.granted())
                    .append("source", event.source()).append("changeId", event.changeId())
                    .append("policyVersion", event.policyVersion())
                    .append("at", java.util.Date.from(at)));
            member.put("consentHistory", history.size() > CONSENT_HISTORY
                    ? new ArrayList<>(history.subList(history.size() - CONSENT_HISTORY, history.size())) : history);
        });
    }

    /** Consent changes kept per member in {@code consentHistory} (the newest). */
    static final int CONSENT_HISTORY = 50;

    @EventHandler
    void on(WeComContactAdded event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            relation(member, "contactLog", "contacts", "staffUserId", event.staffUserId(), "addedAt", "removedAt",
                    event.occurredAt(), true, entry -> entry.append("externalUserId", event.externalUserId())
                            .append("state", event.state()));
            if (earliest(member, "firstContactAt", event.occurredAt())) {
                member.put("firstContactState", event.state());
            }
            stages(member);
        });
        if (event.externalUserId() != null) { // null: an erased member's, read again
            link(event.externalUserId(), event.memberId());
        }
    }

    /**
     * An erased member keeps what counts need (stages, orders, segments, dates) and loses what identifies the person:
     * the unionid, the external user ids of their contact entries (and the links from them) and their standing
     * consents (the history of them stays), so no marketer's list names them again.
     */
    @EventHandler
    void on(MemberErased event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            member.remove("unionid");
            member.getList("contactLog", Document.class, List.of()).forEach(entry -> entry.remove("externalUserId"));
            // consents given no longer stand (the person is gone), but their record stays: it shows what was agreed
            member.remove("consents");
            member.put("erased", true);
        });
        // a scan of the links (an erasure is rare); they are keyed by external user id for the sidebar
        Mono.from(contacts.deleteMany(Filters.eq("memberId", event.memberId()))).block();
    }

    @EventHandler
    void on(WeComContactRemoved event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> relation(member, "contactLog", "contacts", "staffUserId",
                event.staffUserId(), "addedAt", "removedAt", event.occurredAt(), false, entry -> { }));
    }

    @EventHandler
    void on(WeComGroupJoined event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            relation(member, "groupLog", "groups", "chatId", event.chatId(), "joinedAt", "leftAt",
                    event.occurredAt(), true, entry -> entry.append("joinScene", event.joinScene())
                            .append("state", event.state()));
            earliest(member, "firstGroupAt", event.occurredAt());
            if (event.state() != null) {
                Set<String> states = new LinkedHashSet<>(member.getList("joinStates", String.class, List.of()));
                states.add(event.state());
                member.put("joinStates", new ArrayList<>(states));
            }
            stages(member);
        });
    }

    @EventHandler
    void on(WeComGroupLeft event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> relation(member, "groupLog", "groups", "chatId",
                event.chatId(), "joinedAt", "leftAt", event.occurredAt(), false, entry -> { }));
    }

    @EventHandler
    void on(WeComTagsChanged event, @SequenceNumber long sequence) {
        facts.update(event.memberId(), sequence, member -> {
            Document tags = new Document(member.get("tags", new Document()));
            Set<String> staffTags = new TreeSet<>(tags.getList(event.staffUserId(), String.class, List.of()));
            staffTags.addAll(event.added());
            staffTags.removeAll(event.removed());
            tags.put(event.staffUserId(), new ArrayList<>(staffTags));
            member.put("tags", tags);
        });
    }

    @EventHandler
    void on(MemberEnteredSegment event, @SequenceNumber long sequence, @Timestamp Instant at) {
        facts.update(event.memberId(), sequence, member -> {
            Set<String> segments = new LinkedHashSet<>(member.getList("segments", String.class, List.of()));
            segments.add(event.segmentId());
            member.put("segments", new ArrayList<>(segments));
            List<Document> log = new ArrayList<>(member.getList("segmentLog", Document.class, List.of()));
            log.add(new Document("segmentId", event.segmentId()).append("enteredAt", Date.from(at)));
            member.put("segmentLog", log);
        });
    }

    @EventHandler
    void on(MemberLeftSegment event, @SequenceNumber long sequence, @Timestamp Instant at) {
        facts.update(event.memberId(), sequence, member -> {
            List<String> segments = new ArrayList<>(member.getList("segments", String.class, List.of()));
            segments.remove(event.segmentId());
            member.put("segments", segments);
            member.getList("segmentLog", Document.class, List.of()).stream()
                    .filter(entry -> entry.getString("segmentId").equals(event.segmentId())
                            && entry.getDate("leftAt") == null)
                    .forEach(entry -> entry.put("leftAt", Date.from(at)));
        });
    }

    /** Every other member event still advances the version, so a replayed batch is recognised. */
    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        if (MEMBER_AGGREGATE.equals(message.getType())) {
            facts.update(message.getAggregateIdentifier(), message.getSequenceNumber(), member -> { });
        }
    }

    @ResetHandler
    void reset() {
        Mono.from(facts.collection().deleteMany(new Document())).block();
        Mono.from(contacts.deleteMany(new Document())).block();
        if (index != null) {
            index.clear();
        }
    }

    private void balance(String memberId, long sequence, long balance) {
        facts.update(memberId, sequence, member -> member.put("balance", balance));
    }

    /** The same external user id is always the same member, so writing the link again changes nothing. */
    private void link(String externalUserId, String memberId) {
        Mono.from(contacts.replaceOne(Filters.eq("_id", externalUserId),
                new Document("_id", externalUserId).append("memberId", memberId),
                new ReplaceOptions().upsert(true))).block();
    }

    /**
     * Records one start or end of a relation (a contact with a staff member, a group membership) by WeCom's time, and
     * derives which relations hold now: the latest start after the latest end (an end wins a tie). So facts that
     * arrive out of order, as WeCom delivers them, still end in the right state.
     */
    private static void relation(Document member, String logField, String presentField, String keyField, String key,
                                 String startField, String endField, Instant at, boolean start,
                                 Consumer<Document> details) {
        List<Document> log = new ArrayList<>(member.getList(logField, Document.class, List.of()));
        Document entry = log.stream().filter(existing -> key.equals(existing.getString(keyField))).findFirst()
                .orElseGet(() -> {
                    Document created = new Document(keyField, key);
                    log.add(created);
                    return created;
                });
        String field = start ? startField : endField;
        Date known = entry.getDate(field);
        if (known == null || known.toInstant().isBefore(at)) {
            entry.put(field, Date.from(at));
            if (start) {
                details.accept(entry);
            }
        }
        member.put(logField, log);
        member.put(presentField, log.stream().filter(relation -> {
            Date started = relation.getDate(startField);
            Date ended = relation.getDate(endField);
            return started != null && (ended == null || started.after(ended));
        }).toList());
    }

    /** @return whether {@code at} is the earliest so far */
    private static boolean earliest(Document member, String field, Instant at) {
        Date known = member.getDate(field);
        if (known == null || known.toInstant().isAfter(at)) {
            member.put(field, Date.from(at));
            return true;
        }
        return false;
    }

    /**
     * When the member reached each funnel stage. The funnel is sequential: a stage counts from the moment its own fact
     * and every earlier stage are there (a member who joined a group before buying reaches the group stage with the
     * purchases that complete the earlier stages); "repeat purchase after joining" needs an order after the first
     * group join.
     */
    static void stages(Document member) {
        List<Instant> orders = member.getList("orders", Document.class, List.of()).stream()
                .map(order -> order.getDate("at").toInstant()).sorted().toList();
        Date firstContact = member.getDate("firstContactAt");
        Date firstGroup = member.getDate("firstGroupAt");
        Instant[] reached = new Instant[FunnelStage.values().length];
        reached[FunnelStage.REGISTERED.ordinal()] = member.getDate("registeredAt") == null ? null
                : member.getDate("registeredAt").toInstant();
        reached[FunnelStage.FIRST_PURCHASE.ordinal()] = orders.isEmpty() ? null : orders.get(0);
        reached[FunnelStage.REPEAT_PURCHASE.ordinal()] = orders.size() < 2 ? null : orders.get(1);
        reached[FunnelStage.WECOM_CONTACT.ordinal()] = firstContact == null ? null : firstContact.toInstant();
        reached[FunnelStage.WECOM_GROUP.ordinal()] = firstGroup == null ? null : firstGroup.toInstant();
        reached[FunnelStage.REPEAT_AFTER_GROUP.ordinal()] = firstGroup == null ? null : orders.stream()
                .filter(at -> at.isAfter(firstGroup.toInstant())).findFirst().orElse(null);
        Document stages = new Document();
        Instant previous = null;
        for (FunnelStage stage : FunnelStage.values()) {
            Instant own = reached[stage.ordinal()];
            if (own == null || (stage != FunnelStage.REGISTERED && previous == null)) {
                break;
            }
            previous = previous == null || own.isAfter(previous) ? own : previous;
            stages.put(stage.code(), Date.from(previous));
        }
        member.put("stages", stages);
    }
}
