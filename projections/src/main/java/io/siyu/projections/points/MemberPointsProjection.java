package io.siyu.projections.points;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.MemberErased;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.points.FindMemberPoints;
import io.siyu.api.points.MemberPointsView;
import io.siyu.api.points.PointMovement;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.points.LotTaken;
import io.siyu.api.points.OpenLot;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsExpired;
import io.siyu.projections.support.MemberDocuments;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Mono;

/**
 * The loyalty widget's read model: one document per member, read by {@code _id} (a point read on every store).
 * <p>
 * Every member event advances the document's {@code version} (the event's sequence number), also events that do
 * not move points, so that a caller who knows the version its command produced can wait for exactly that state.
 * Axon 4 does not subscribe to a returned {@code Mono}, so the handlers block on the reactive driver deliberately;
 * they run on the processor's thread, never on an HTTP event loop.
 */
@Component
@ProcessingGroup(MemberPointsProjection.PROCESSING_GROUP)
class MemberPointsProjection implements RebuildableProjection {

    static final String PROCESSING_GROUP = "member-points";
    static final String COLLECTION = "member_points";
    /** Movements whose reason is text a person gave rather than words Siyu wrote. */
    private static final java.util.Set<String> FREE_TEXT = java.util.Set.of("adjusted", "redeemed");
    static final int RECENT_MOVEMENTS = 20;
    private static final String MEMBER_AGGREGATE = "Member";

    private final MongoCollection<Document> views;
    private final QueryUpdateEmitter updateEmitter;
    private final MemberDocuments documents;

    private final MongoDatabase database;
    private final MeterRegistry meterRegistry;

    @Autowired
    MemberPointsProjection(MongoDatabase reactiveMongoDatabase, QueryUpdateEmitter updateEmitter,
                           MeterRegistry meterRegistry) {
        this(reactiveMongoDatabase, updateEmitter, meterRegistry, "");
    }

    private MemberPointsProjection(MongoDatabase database, QueryUpdateEmitter updateEmitter,
                                   MeterRegistry meterRegistry, String suffix) {
        this.database = database;
        this.meterRegistry = meterRegistry;
        this.views = database.getCollection(COLLECTION + suffix);
        this.updateEmitter = updateEmitter;
        this.documents = new MemberDocuments(views, PROCESSING_GROUP + suffix, meterRegistry,
                updateEmitter == null ? changed -> { } : this::emit);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<String> collections() {
        return List.of(COLLECTION);
    }

    @Override
    public Object shadow(String suffix) {
        return new MemberPointsProjection(database, null, meterRegistry, suffix);
    }

    /** The openid is not kept here: the widget knows its own, and nobody else needs it. */
    @EventHandler
    void on(MemberRegistered event, @SequenceNumber long sequence) {
        update(event.memberId(), sequence, view -> { });
    }

    /**
     * Balances and movements stay (accounting); the words people typed for a movement (an adjustment's or a
     * redemption's reason), which may name the person, go.
     */
    @EventHandler
    void on(MemberErased event, @SequenceNumber long sequence) {
        update(event.memberId(), sequence, view -> {
            view.remove("openid");
            view.getList("recent", Document.class, List.of()).stream()
                    .filter(movement -> FREE_TEXT.contains(movement.getString("kind")))
                    .forEach(movement -> movement.remove("reason"));
            view.put("erased", true);
        });
    }

    @EventHandler
    void on(PointsEarned event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(event.memberId(), sequence, view -> {
            view.put("balance", event.balanceAfter());
            view.put("debt", view.get("debt", 0L) - event.debtRepaid());
            view.put("lifetimeEarned", view.get("lifetimeEarned", 0L) + event.points());
            addLot(view, event.lotId(), event.lotPoints(), event.expiresAt());
            String what = event.source() == PointSource.PURCHASE ? "order " + event.sourceId()
                    : event.source() == PointSource.CHECK_IN ? "check-in " + event.sourceId()
                    : event.source().name().toLowerCase(Locale.ROOT) + " " + event.sourceId();
            String rules = event.rules().stream().map(rule -> rule.rule() + " " + rule.effect())
                    .collect(Collectors.joining(", "));
            String debt = event.debtRepaid() > 0 ? "; " + event.debtRepaid() + " paid off points owed" : "";
            addMovement(view, new PointMovement(at, "earned", event.points(),
                    what + " (rules v" + event.ruleSetVersion() + ": " + rules + ")" + debt));
        });
    }

    @EventHandler
    void on(PointsReversed event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(event.memberId(), sequence, view -> {
            view.put("balance", event.balanceAfter());
            view.put("debt", view.get("debt", 0L) + event.debtIncurred());
            view.put("lifetimeReversed", view.get("lifetimeReversed", 0L) + event.points());
            takeLots(view, event.lots());
            String debt = event.debtIncurred() > 0 ? "; " + event.debtIncurred() + " owed (already spent)" : "";
            addMovement(view, new PointMovement(at, "reversed", -event.points(),
                    "refund " + event.refundId() + " of order " + event.orderId() + debt));
        });
    }

    @EventHandler
    void on(PointsRedeemed event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(event.memberId(), sequence, view -> {
            view.put("balance", event.balanceAfter());
            view.put("lifetimeRedeemed", view.get("lifetimeRedeemed", 0L) + event.points());
            takeLots(view, event.lots());
            addMovement(view, new PointMovement(at, "redeemed", -event.points(), event.reason()));
        });
    }

    @EventHandler
    void on(PointsExpired event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(event.memberId(), sequence, view -> {
            view.put("balance", event.balanceAfter());
            view.put("lifetimeExpired", view.get("lifetimeExpired", 0L) + event.points());
            takeLots(view, event.lots());
            addMovement(view, new PointMovement(at, "expired", -event.points(),
                    event.lots().size() + " lot(s) expired at " + event.expiredAt()));
        });
    }

    @EventHandler
    void on(PointsAdjusted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(event.memberId(), sequence, view -> {
            view.put("balance", event.balanceAfter());
            if (event.points() > 0) {
                view.put("debt", view.get("debt", 0L) - event.debtRepaid());
                addLot(view, "adjustment:" + event.adjustmentId(), event.points() - event.debtRepaid(),
                        event.expiresAt());
            } else {
                takeLots(view, event.lots());
            }
            addMovement(view, new PointMovement(at, "adjusted", event.points(),
                    event.reason() + " (by " + event.actor() + ")"));
        });
    }

    @EventHandler
    void on(CheckedIn event, @SequenceNumber long sequence) {
        update(event.memberId(), sequence, view -> {
            view.put("streak", event.streak());
            view.put("lastCheckInDay", event.day().toString());
        });
    }

    /**
     * Every other event of a member stream (purchases, refunds, tier changes, coupons, and whatever later issues add)
     * moves points nowhere but still advances the version, so that a writer waiting for its version is answered.
     */
    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        if (MEMBER_AGGREGATE.equals(message.getType())) {
            update(message.getAggregateIdentifier(), message.getSequenceNumber(), view -> { });
        }
    }

    @QueryHandler
    CompletableFuture<MemberPointsView> handle(FindMemberPoints query) {
        return Mono.from(views.find(Filters.eq("_id", query.memberId())).first())
                .map(MemberPointsProjection::toView)
                .toFuture();
    }

    private void update(String memberId, long sequence, Consumer<Document> change) {
        documents.update(memberId, sequence, change);
    }

    private void emit(List<Document> changed) {
        for (Document view : changed) {
            MemberPointsView updated = toView(view);
            updateEmitter.emit(FindMemberPoints.class, query -> query.memberId().equals(updated.memberId()), updated);
        }
    }

    /** A replay starts from an empty read model. */
    @ResetHandler
    void reset() {
        Mono.from(views.deleteMany(new Document())).block();
    }

    private static void addMovement(Document view, PointMovement movement) {
        List<Document> recent = new ArrayList<>(view.getList("recent", Document.class, List.of()));
        recent.add(0, new Document("at", Date.from(movement.at()))
                .append("kind", movement.kind())
                .append("points", movement.points())
                .append("reason", movement.reason()));
        view.put("recent", recent.subList(0, Math.min(RECENT_MOVEMENTS, recent.size())));
    }

    private static void addLot(Document view, String lotId, long points, Instant expiresAt) {
        if (points <= 0) {
            return;
        }
        List<Document> lots = new ArrayList<>(view.getList("lots", Document.class, List.of()));
        lots.add(new Document("lotId", lotId).append("points", points)
                .append("expiresAt", expiresAt == null ? null : Date.from(expiresAt)));
        lots.sort(Comparator.comparing((Document lot) -> lot.getDate("expiresAt"),
                Comparator.nullsLast(Comparator.naturalOrder())));
        view.put("lots", lots);
    }

    private static void takeLots(Document view, List<LotTaken> taken) {
        List<Document> lots = new ArrayList<>(view.getList("lots", Document.class, List.of()));
        for (LotTaken take : taken) {
            for (int i = 0; i < lots.size(); i++) {
                Document lot = lots.get(i);
                if (lot.getString("lotId").equals(take.lotId())) {
                    long left = lot.get("points", 0L) - take.points();
                    if (left <= 0) {
                        lots.remove(i);
                    } else {
                        lots.set(i, new Document(lot).append("points", left));
                    }
                    break;
                }
            }
        }
        view.put("lots", lots);
    }

    private static MemberPointsView toView(Document view) {
        List<PointMovement> recent = view.getList("recent", Document.class, List.of()).stream()
                .map(movement -> new PointMovement(movement.getDate("at").toInstant(), movement.getString("kind"),
                        movement.get("points", 0L), movement.getString("reason")))
                .toList();
        String lastDay = view.getString("lastCheckInDay");
        List<OpenLot> lots = view.getList("lots", Document.class, List.of()).stream()
                .map(lot -> new OpenLot(lot.getString("lotId"), lot.get("points", 0L),
                        lot.getDate("expiresAt") == null ? null : lot.getDate("expiresAt").toInstant()))
                .toList();
        return new MemberPointsView(view.getString("_id"), view.getString("openid"), view.get("balance", 0L),
                view.get("debt", 0L), view.get("lifetimeEarned", 0L), view.get("lifetimeRedeemed", 0L),
                view.get("streak", 0), lastDay == null ? null : LocalDate.parse(lastDay), lots, recent,
                view.get("version", -1L));
    }
}
