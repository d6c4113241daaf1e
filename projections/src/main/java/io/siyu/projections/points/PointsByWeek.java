package io.siyu.projections.points;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.projections.support.BatchFlush;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Mono;

/**
 * Points earned, redeemed, reversed (refunds) and expired per business week (Monday to Sunday, Asia/Shanghai unless
 * configured), for the marketers' overview. One document holds the latest {@link #WEEKS_KEPT} weeks, so reading it is
 * one point read whatever the member count or history.
 * <p>
 * Totals are sums, so applying an event twice would count it twice. Each flush writes the totals together with the
 * ids of every event of its batch, in one document write; a batch handed again after a failure (the token was not
 * stored) skips the events the previous flush already counted.
 */
@Component
@ProcessingGroup(PointsByWeek.PROCESSING_GROUP)
public class PointsByWeek implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "points-by-week";
    static final String COLLECTION = "points_by_week";
    static final int WEEKS_KEPT = 160;
    private static final String ID = "weeks";

    private final MongoDatabase database;
    private final MongoCollection<Document> weeks;
    private final ZoneId zone;
    private final String batchResource;

    @Autowired
    PointsByWeek(MongoDatabase reactiveMongoDatabase, @Value("${siyu.business-zone:Asia/Shanghai}") ZoneId zone) {
        this(reactiveMongoDatabase, zone, "");
    }

    private PointsByWeek(MongoDatabase database, ZoneId zone, String suffix) {
        this.database = database;
        this.weeks = database.getCollection(COLLECTION + suffix);
        this.zone = zone;
        this.batchResource = PointsByWeek.class.getName() + suffix;
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
        return new PointsByWeek(database, zone, suffix);
    }

    @ResetHandler
    void reset() {
        Mono.from(weeks.deleteMany(new Document())).block();
    }

    @EventHandler
    void on(PointsEarned event, EventMessage<?> message, @Timestamp Instant at) {
        add(message.getIdentifier(), at, "earned", event.points());
    }

    @EventHandler
    void on(PointsRedeemed event, EventMessage<?> message, @Timestamp Instant at) {
        add(message.getIdentifier(), at, "redeemed", event.points());
    }

    @EventHandler
    void on(PointsReversed event, EventMessage<?> message, @Timestamp Instant at) {
        add(message.getIdentifier(), at, "reversed", event.points());
    }

    @EventHandler
    void on(PointsExpired event, EventMessage<?> message, @Timestamp Instant at) {
        add(message.getIdentifier(), at, "expired", event.points());
    }

    /** One week's totals, in points. */
    public record Week(LocalDate week, long earned, long redeemed, long reversed, long expired) {
    }

    /** @return the weeks from the one holding {@code from} to the one holding {@code to}, empty weeks as zeros */
    public List<Week> weeks(LocalDate from, LocalDate to) {
        Document stored = Mono.from(weeks.find(Filters.eq("_id", ID)).first()).blockOptional()
                .map(found -> found.get("weeks", Document.class)).orElseGet(Document::new);
        List<Week> series = new ArrayList<>();
        for (LocalDate week = monday(from); !week.isAfter(to); week = week.plusWeeks(1)) {
            Document totals = stored.get(week.toString(), new Document());
            series.add(new Week(week, totals.get("earned", 0L), totals.get("redeemed", 0L),
                    totals.get("reversed", 0L), totals.get("expired", 0L)));
        }
        return series;
    }

    private static LocalDate monday(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private record Change(String eventId, String week, String kind, long points) {
    }

    private void add(String eventId, Instant at, String kind, long points) {
        BatchFlush.<Change>pending(batchResource, this::flush)
                .add(new Change(eventId, monday(LocalDate.ofInstant(at, zone)).toString(), kind, points));
    }

    private void flush(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Document stored = Mono.from(weeks.find(Filters.eq("_id", ID)).first()).blockOptional()
                .orElseGet(() -> new Document("_id", ID));
        Set<String> counted = new HashSet<>(stored.getList("batch", String.class, List.of()));
        Map<String, Document> totals = new TreeMap<>();
        stored.get("weeks", new Document()).forEach((week, value) -> totals.put(week, (Document) value));
        List<String> batch = new ArrayList<>(changes.size());
        for (Change change : changes) {
            batch.add(change.eventId());
            if (counted.contains(change.eventId())) {
                continue;
            }
            Document week = totals.computeIfAbsent(change.week(), key -> new Document());
            week.put(change.kind(), week.get(change.kind(), 0L) + change.points());
        }
        Document kept = new Document();
        List<String> ordered = new ArrayList<>(totals.keySet());
        ordered.subList(Math.max(0, ordered.size() - WEEKS_KEPT), ordered.size())
                .forEach(week -> kept.put(week, totals.get(week)));
        Document replacement = new Document("_id", ID).append("weeks", kept).append("batch", batch);
        Mono.from(weeks.replaceOne(Filters.eq("_id", ID), replacement, new ReplaceOptions().upsert(true))).block();
        changes.clear();
    }
}
