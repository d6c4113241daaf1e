package io.siyu.projections.timeline;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.projections.support.BatchFlush;
import io.siyu.projections.support.RebuildableProjection;
import io.siyu.projections.timeline.TimelineLines.Line;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each member's whole history as the WeCom sidebar shows it: one entry per member event (registration, consents,
 * orders, refunds, check-ins, every point movement, tiers, coupons, WeCom contacts, groups and tags, segments).
 * Entries are numbered per member and stored in fixed pages of {@value #PAGE_SIZE} ({@code timeline_pages}, keyed
 * {@code <memberId>#<page>}); a head per member ({@code timeline_heads}) holds the count and the last sequence number
 * included. A page of the newest entries is two point reads (head, then one or two pages by {@code _id}), however
 * long the history. A batch costs three round trips: heads, last pages, one {@code bulkWrite} of both.
 */
@Component
@ProcessingGroup(TimelineProjection.PROCESSING_GROUP)
public class TimelineProjection implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "member-timeline";
    public static final String HEADS = "timeline_heads";
    public static final String PAGES = "timeline_pages";
    static final int PAGE_SIZE = 50;
    private static final String MEMBER_AGGREGATE = "Member";
    private static final Set<String> PRIVATE_FIELDS = Set.of("phoneHash", "memberId");

    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> pages;
    private final Counter applied;
    private final Counter skipped;

    private final MongoDatabase database;
    private final MeterRegistry meterRegistry;
    private final String batchResource;

    @Autowired
    TimelineProjection(MongoDatabase reactiveMongoDatabase, MeterRegistry meterRegistry) {
        this(reactiveMongoDatabase, meterRegistry, "");
    }

    private TimelineProjection(MongoDatabase database, MeterRegistry meterRegistry, String suffix) {
        this.database = database;
        this.meterRegistry = meterRegistry;
        this.heads = database.getCollection(HEADS + suffix);
        this.pages = database.getCollection(PAGES + suffix);
        this.batchResource = TimelineProjection.class.getName() + ".batch" + suffix;
        String group = PROCESSING_GROUP + suffix;
        this.applied = meterRegistry.counter("siyu.projection.events", "group", group, "outcome", "applied");
        this.skipped = meterRegistry.counter("siyu.projection.events", "group", group, "outcome", "skipped");
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @Override
    public List<String> collections() {
        return List.of(HEADS, PAGES);
    }

    @Override
    public Object shadow(String suffix) {
        return new TimelineProjection(database, meterRegistry, suffix);
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        if (!MEMBER_AGGREGATE.equals(message.getType())) {
            return;
        }
        Line line = TimelineLines.of(event);
        Document entry = new Document("at", Date.from(message.getTimestamp()))
                .append("seq", message.getSequenceNumber())
                .append("kind", line.kind()).append("zh", line.zh()).append("en", line.en())
                .append("data", data(event));
        currentBatch().add(new Append(message.getAggregateIdentifier(), message.getSequenceNumber(), entry));
    }

    @ResetHandler
    void reset() {
        Mono.from(heads.deleteMany(new Document())).block();
        Mono.from(pages.deleteMany(new Document())).block();
    }

    static String pageId(String memberId, long page) {
        return memberId + "#" + page;
    }

    private record Append(String memberId, long sequence, Document entry) {
    }

    private List<Append> currentBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<Append> appends = batch.getResource(batchResource);
        if (appends == null) {
            // not inside getOrComputeResource: registering the flush adds a resource to the same map
            List<Append> created = new ArrayList<>();
            batch.resources().put(batchResource, created);
            BatchFlush.register(batch, () -> flush(created));
            appends = created;
        }
        return appends;
    }

    private void flush(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        Map<String, Document> headById = new LinkedHashMap<>();
        Flux.from(heads.find(Filters.in("_id", appends.stream().map(Append::memberId).distinct().toList())))
                .doOnNext(head -> headById.put(head.getString("_id"), head)).blockLast();
        List<String> lastPages = headById.values().stream()
                .map(head -> pageId(head.getString("_id"), head.get("count", 0L) / PAGE_SIZE)).toList();
        Map<String, Document> pageById = new LinkedHashMap<>();
        if (!lastPages.isEmpty()) {
            Flux.from(pages.find(Filters.in("_id", lastPages)))
                    .doOnNext(page -> pageById.put(page.getString("_id"), page)).blockLast();
        }
        Map<String, Document> changedHeads = new LinkedHashMap<>();
        Map<String, Document> changedPages = new LinkedHashMap<>();
        for (Append append : appends) {
            Document head = headById.computeIfAbsent(append.memberId(),
                    id -> new Document("_id", id).append("version", -1L).append("count", 0L));
            if (head.get("version", -1L) >= append.sequence()) {
                skipped.increment();
                continue;
            }
            long number = head.get("count", 0L);
            String pageId = pageId(append.memberId(), number / PAGE_SIZE);
            Document page = pageById.computeIfAbsent(pageId, id -> new Document("_id", id)
                    .append("entries", new ArrayList<Document>()));
            List<Document> entries = new ArrayList<>(page.getList("entries", Document.class));
            entries.removeIf(written -> written.get("n", 0L) >= number);
            entries.add(append.entry().append("n", number));
            page.put("entries", entries);
            head.put("count", number + 1);
            head.put("version", append.sequence());
            changedHeads.put(append.memberId(), head);
            changedPages.put(pageId, page);
            applied.increment();
        }
        if (changedHeads.isEmpty()) {
            return;
        }
        // pages first: a crash between the writes leaves the head behind, and the redelivered batch rewrites the
        // same entries at the same numbers
        Mono.from(pages.bulkWrite(replacements(changedPages.values()), new BulkWriteOptions().ordered(false))).block();
        Mono.from(heads.bulkWrite(replacements(changedHeads.values()), new BulkWriteOptions().ordered(false))).block();
    }

    private static List<WriteModel<Document>> replacements(Collection<Document> documents) {
        return documents.stream().<WriteModel<Document>>map(document -> new ReplaceOneModel<>(
                Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true))).toList();
    }

    /** The event's fields as a document, without the member id (it is the timeline's) and the phone hash. */
    static Document data(Object event) {
        Document data = new Document();
        if (!event.getClass().isRecord()) {
            return data;
        }
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (PRIVATE_FIELDS.contains(component.getName())) {
                continue;
            }
            try {
                Object value = component.getAccessor().invoke(event);
                if (value != null) {
                    data.put(component.getName(), plain(value));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
        return data;
    }

    private static Object plain(Object value) {
        if (value instanceof Instant || value instanceof LocalDate) {
            return value.toString();
        }
        if (value instanceof SalesChannel channel) {
            return channel.code();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(TimelineProjection::plain).toList();
        }
        if (value.getClass().isRecord()) {
            return data(value);
        }
        return value;
    }
}
