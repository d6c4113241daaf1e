package io.siyu.projections.timeline;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
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
 * orders, refunds, check-ins, every point movement, tiers, coupons, WeCom contacts, groups and tags, segments),
 * ordered by when the fact happened ({@link FactTime}; the member's event sequence breaks ties) with the time it was
 * recorded alongside. Entries sit in fixed pages of {@value #PAGE_SIZE} in that order ({@code timeline_pages}, keyed
 * {@code <memberId>#<page>}); a head per member ({@code timeline_heads}) holds the count and the last sequence number
 * included. A page of the newest entries is two point reads (head, then one or two pages by {@code _id}), however
 * long the history. A fact that arrives in order (nearly all) is appended: a batch costs three round trips (heads,
 * last pages, one {@code bulkWrite} of both). A backdated fact (re-linked WeCom history, a late till batch) is
 * inserted where it belongs and the pages from there to the newest are rewritten; the head first records which pages
 * that write may leave half-done, so a batch redelivered after a crash between the writes repairs them.
 */
@Component
@ProcessingGroup(TimelineProjection.PROCESSING_GROUP)
public class TimelineProjection implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "member-timeline";
    public static final String HEADS = "timeline_heads";
    public static final String PAGES = "timeline_pages";
    static final int PAGE_SIZE = 50;
    /** Pages read per round trip while looking back for where a backdated fact belongs. */
    private static final int PAGES_PER_READ = 8;
    private static final String MEMBER_AGGREGATE = "Member";
    static final Comparator<Document> ORDER = Comparator.<Document>comparingLong(entry -> entry.getDate("at").getTime())
            .thenComparingLong(entry -> entry.get("seq", 0L));

    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> pages;
    private final Counter applied;
    private final Counter skipped;
    private final Counter backdated;

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
        this.backdated = meterRegistry.counter("siyu.timeline.backdated", "group", group);
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
        Instant recordedAt = message.getTimestamp();
        Document entry = new Document("at", Date.from(FactTime.of(event, recordedAt)))
                .append("recordedAt", Date.from(recordedAt))
                .append("seq", message.getSequenceNumber())
                .append("kind", line.kind()).append("zh", line.zh()).append("en", line.en())
                .append("data", data(event));
        List<String> personal = personalIn(event, line, entry.get("data", Document.class));
        if (!personal.isEmpty()) {
            // kept so that an erasure can take them out of the lines
            entry.append("personal", personal);
        }
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
        return BatchFlush.pending(batchResource, this::flush);
    }

    /**
     * One member's entries from page {@code low} to the newest, in order, as this batch changes them. {@code dirtyFrom}
     * is the first position whose entry changed (inserted or moved).
     */
    private final class Tail {
        final String memberId;
        final Document head;
        final long count;
        long low;
        final List<Document> entries;
        long dirtyFrom = Long.MAX_VALUE;
        long added;

        Tail(Document head, long low, List<Document> entries) {
            this.memberId = head.getString("_id");
            this.head = head;
            this.count = head.get("count", 0L);
            this.low = low;
            this.entries = entries;
            if (head.containsKey("repair")) {
                // the pages of a rewrite that did not finish are all written again
                this.dirtyFrom = low * PAGE_SIZE;
            }
        }

        long size() {
            return count + added;
        }

        void insert(Document entry) {
            int index = entries.size();
            while (true) {
                while (index > 0 && ORDER.compare(entries.get(index - 1), entry) > 0) {
                    index--;
                }
                if (index > 0 || low == 0) {
                    break;
                }
                List<Document> older = readPages(memberId, Math.max(0, low - PAGES_PER_READ), low, head);
                low = Math.max(0, low - PAGES_PER_READ);
                entries.addAll(0, older);
                index = older.size();
            }
            long position = low * PAGE_SIZE + index;
            if (position < size()) {
                backdated.increment();
            }
            entries.add(index, entry);
            added++;
            dirtyFrom = Math.min(dirtyFrom, position);
        }

        boolean shifts() {
            return dirtyFrom < count;
        }

        long firstDirtyPage() {
            return dirtyFrom / PAGE_SIZE;
        }

        long lastPage() {
            return (size() - 1) / PAGE_SIZE;
        }

        /** The pages from the first changed one to the newest, newest first. */
        List<Document> dirtyPages() {
            List<Document> written = new ArrayList<>();
            for (long page = lastPage(); page >= firstDirtyPage(); page--) {
                long from = page * PAGE_SIZE;
                long to = Math.min(size(), from + PAGE_SIZE);
                List<Document> inPage = new ArrayList<>();
                for (long position = from; position < to; position++) {
                    inPage.add(entries.get((int) (position - low * PAGE_SIZE)).append("n", position));
                }
                written.add(new Document("_id", pageId(memberId, page)).append("entries", inPage));
            }
            return written;
        }
    }

    /** Writes the batch; then scrubs the timelines of members it erased (again, when the batch is redelivered). */
    private void flush(List<Append> appends) {
        write(appends);
        appends.stream().filter(append -> "erased".equals(append.entry().getString("kind")))
                .map(Append::memberId).distinct().forEach(this::scrub);
    }

    private void write(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        Map<String, Document> headById = new LinkedHashMap<>();
        Flux.from(heads.find(Filters.in("_id", appends.stream().map(Append::memberId).distinct().toList())))
                .doOnNext(head -> headById.put(head.getString("_id"), head)).blockLast();
        Map<String, Tail> tails = loadTails(headById);
        for (Append append : appends) {
            Tail tail = tails.computeIfAbsent(append.memberId(), id -> new Tail(
                    new Document("_id", id).append("version", -1L).append("count", 0L), 0, new ArrayList<>()));
            if (tail.head.get("version", -1L) >= append.sequence()) {
                skipped.increment();
                continue;
            }
            tail.insert(append.entry());
            tail.head.put("version", append.sequence());
            applied.increment();
        }
        List<Tail> changed = tails.values().stream().filter(tail -> tail.added > 0).toList();
        if (changed.isEmpty()) {
            return;
        }
        // a rewrite that moves entries says so in the head first: if the process dies between the page writes and
        // the head, the redelivered batch reads those pages back without the half-written entries
        List<WriteModel<Document>> repairs = changed.stream().filter(Tail::shifts)
                .<WriteModel<Document>>map(tail -> new UpdateOneModel<>(Filters.eq("_id", tail.memberId),
                        Updates.set("repair", new Document("from", Math.min(tail.firstDirtyPage(),
                                repairFrom(tail.head))).append("to", Math.max(tail.lastPage(), repairTo(tail.head)))),
                        new UpdateOptions().upsert(true)))
                .toList();
        if (!repairs.isEmpty()) {
            Mono.from(heads.bulkWrite(repairs, new BulkWriteOptions().ordered(false))).block();
        }
        // newest page first, in order: see committed()
        List<Document> changedPages = changed.stream().flatMap(tail -> tail.dirtyPages().stream()).toList();
        Mono.from(pages.bulkWrite(replacements(changedPages), new BulkWriteOptions().ordered(true))).block();
        List<Document> changedHeads = changed.stream().map(tail -> new Document("_id", tail.memberId)
                .append("version", tail.head.get("version")).append("count", tail.size())).toList();
        Mono.from(heads.bulkWrite(replacements(changedHeads), new BulkWriteOptions().ordered(false))).block();
    }

    /** Each member's newest page, or every page a half-done rewrite may have touched, without its stray entries. */
    private Map<String, Tail> loadTails(Map<String, Document> headById) {
        Map<String, Tail> tails = new LinkedHashMap<>();
        Map<String, long[]> ranges = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (Document head : headById.values()) {
            long count = head.get("count", 0L);
            long last = count == 0 ? 0 : (count - 1) / PAGE_SIZE;
            long from = Math.min(last, repairFrom(head));
            long to = Math.max(last, repairTo(head));
            ranges.put(head.getString("_id"), new long[] {from, to});
            for (long page = from; page <= to; page++) {
                ids.add(pageId(head.getString("_id"), page));
            }
        }
        Map<String, Document> pageById = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            Flux.from(pages.find(Filters.in("_id", ids)))
                    .doOnNext(page -> pageById.put(page.getString("_id"), page)).blockLast();
        }
        for (Document head : headById.values()) {
            String memberId = head.getString("_id");
            long[] range = ranges.get(memberId);
            List<Document> entries = new ArrayList<>();
            for (long page = range[0]; page <= range[1]; page++) {
                Document stored = pageById.get(pageId(memberId, page));
                if (stored != null) {
                    entries.addAll(stored.getList("entries", Document.class));
                }
            }
            List<Document> kept = committed(entries, head);
            long expected = head.get("count", 0L) - range[0] * PAGE_SIZE;
            if (kept.size() != expected) {
                throw new IllegalStateException("the timeline pages of a member hold " + kept.size()
                        + " entries from page " + range[0] + ", its head counts " + expected);
            }
            tails.put(memberId, new Tail(head, range[0], kept));
        }
        return tails;
    }

    private List<Document> readPages(String memberId, long fromPage, long toPage, Document head) {
        List<String> ids = new ArrayList<>();
        for (long page = fromPage; page < toPage; page++) {
            ids.add(pageId(memberId, page));
        }
        List<Document> entries = new ArrayList<>();
        Flux.from(pages.find(Filters.in("_id", ids))).doOnNext(page -> entries.addAll(
                page.getList("entries", Document.class))).blockLast();
        List<Document> older = committed(entries, head);
        if (older.size() != (toPage - fromPage) * PAGE_SIZE) {
            throw new IllegalStateException("the timeline pages " + fromPage + ".." + (toPage - 1) + " of a member hold "
                    + older.size() + " entries, not " + (toPage - fromPage) * PAGE_SIZE);
        }
        return older;
    }

    /**
     * Entries the head vouches for (sequence at or below its version), each once, in order. Pages are rewritten
     * newest first, so after a crash mid-rewrite every entry is in an old page below the rewrite's progress or in a
     * new page above it (an entry moved up may be in both).
     */
    private static List<Document> committed(List<Document> entries, Document head) {
        long version = head.get("version", -1L);
        Map<Long, Document> bySequence = new LinkedHashMap<>();
        for (Document entry : entries) {
            if (entry.get("seq", 0L) <= version) {
                bySequence.putIfAbsent(entry.get("seq", 0L), entry);
            }
        }
        return new ArrayList<>(bySequence.values().stream().sorted(ORDER).toList());
    }

    private static long repairFrom(Document head) {
        Document repair = head.get("repair", Document.class);
        return repair == null ? Long.MAX_VALUE : repair.get("from", Long.MAX_VALUE);
    }

    private static long repairTo(Document head) {
        Document repair = head.get("repair", Document.class);
        return repair == null ? -1 : repair.get("to", -1L);
    }

    private static List<WriteModel<Document>> replacements(Collection<Document> documents) {
        return documents.stream().<WriteModel<Document>>map(document -> new ReplaceOneModel<>(
                Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true))).toList();
    }

    /** The personal values of the event ({@link io.siyu.api.PersonalData}) that its lines or data show. */
    static List<String> personalIn(Object event, Line line, Document data) {
        List<String> values = new ArrayList<>();
        if (!event.getClass().isRecord()) {
            return values;
        }
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (!component.isAnnotationPresent(io.siyu.api.PersonalData.class)) {
                continue;
            }
            try {
                if (component.getAccessor().invoke(event) instanceof String value && !value.isBlank()
                        && (line.zh().contains(value) || line.en().contains(value) || data.containsValue(value))) {
                    values.add(value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
        return values;
    }

    /**
     * An erased member's timeline keeps every entry (what happened, when, points and amounts) and loses the personal
     * values its lines showed (a reason, a masked phone): each page is read and written once, by its key.
     */
    private void scrub(String memberId) {
        Document head = Mono.from(heads.find(Filters.eq("_id", memberId)).first()).block();
        long count = head == null ? 0 : head.get("count", 0L);
        for (long page = 0; page * PAGE_SIZE < count; page++) {
            Document stored = Mono.from(pages.find(Filters.eq("_id", pageId(memberId, page))).first()).block();
            if (stored == null) {
                continue;
            }
            boolean changed = false;
            for (Document entry : stored.getList("entries", Document.class, List.of())) {
                List<String> personal = entry.getList("personal", String.class);
                if (personal == null) {
                    continue;
                }
                String zh = entry.getString("zh");
                String en = entry.getString("en");
                for (String value : personal) {
                    zh = zh.replace(value, "（已删除）");
                    en = en.replace(value, "(erased)");
                }
                entry.put("zh", zh);
                entry.put("en", en);
                Document data = entry.get("data", Document.class);
                if (data != null) {
                    data.values().removeIf(personal::contains);
                }
                entry.remove("personal");
                changed = true;
            }
            if (changed) {
                Mono.from(pages.replaceOne(Filters.eq("_id", stored.get("_id")), stored)).block();
            }
        }
    }

    /** The fields of the event its entry shows ({@link TimelineFields}), as a document. */
    static Document data(Object event) {
        Document data = new Document();
        if (!event.getClass().isRecord()) {
            return data;
        }
        Set<String> shown = TimelineFields.shown(event);
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (!shown.contains(component.getName())) {
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
            // a part of a fact (a fired rule, a lot taken, an order line): all of it
            Document part = new Document();
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    Object inner = component.getAccessor().invoke(value);
                    if (inner != null) {
                        part.put(component.getName(), plain(inner));
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return part;
        }
        return value;
    }
}
