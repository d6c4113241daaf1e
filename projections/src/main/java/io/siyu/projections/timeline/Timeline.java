package io.siyu.projections.timeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.projections.audience.MemberFactsProjection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a member's timeline newest first (by when each fact happened), a page at a time, by point reads only. The
 * {@code before} cursor names the last entry a page showed, not a position, so paging stays exact when a backdated
 * fact is inserted between two reads.
 */
@Component
public class Timeline {

    /**
     * One entry; {@code line} is in the language asked for. {@code at} is when the fact happened, {@code recordedAt}
     * when Siyu recorded it; {@code n} is the entry's place in the member's history (0 = oldest) at the time of reading.
     */
    public record Entry(long n, Instant at, Instant recordedAt, String kind, String line, Map<String, Object> data) {
    }

    /**
     * @param nextBefore the {@code before} that reads the next (older) page, or {@code null} at the first entry
     */
    public record Page(String memberId, long total, List<Entry> entries, String nextBefore) {
    }

    /** An opaque position: the entry (fact time, sequence) a page ended at, and where it was then. */
    public record Cursor(long atMillis, long sequence, long n) {

        private static final String VERSION = "t1";

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (VERSION + ":" + atMillis + ":" + sequence + ":" + n).getBytes(StandardCharsets.US_ASCII));
        }

        /** @throws IllegalArgumentException if the text is not a cursor this API gave */
        public static Cursor parse(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII)
                        .split(":", -1);
                if (parts.length != 4 || !parts[0].equals(VERSION)) {
                    throw new IllegalArgumentException("not a timeline cursor");
                }
                Cursor cursor = new Cursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Long.parseLong(parts[3]));
                if (cursor.sequence < 0 || cursor.n < 0) {
                    throw new IllegalArgumentException("not a timeline cursor");
                }
                return cursor;
            } catch (IllegalArgumentException malformed) {
                throw new IllegalArgumentException("is not a cursor from a timeline page's nextBefore", malformed);
            }
        }

        static Cursor of(Document entry) {
            return new Cursor(entry.getDate("at").getTime(), entry.get("seq", 0L), entry.get("n", 0L));
        }

        int compareTo(Document entry) {
            int byTime = Long.compare(atMillis, entry.getDate("at").getTime());
            return byTime != 0 ? byTime : Long.compare(sequence, entry.get("seq", 0L));
        }
    }

    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> pages;
    private final MongoCollection<Document> contacts;

    Timeline(MongoDatabase reactiveMongoDatabase) {
        this.heads = reactiveMongoDatabase.getCollection(TimelineProjection.HEADS);
        this.pages = reactiveMongoDatabase.getCollection(TimelineProjection.PAGES);
        this.contacts = reactiveMongoDatabase.getCollection(MemberFactsProjection.CONTACTS);
    }

    /**
     * @param before  entries older than this cursor ({@code null}: the newest)
     * @param limit   at most this many
     * @param chinese Chinese lines rather than English
     * @return the page, or empty when the member has no timeline
     */
    public Mono<Page> page(String memberId, Cursor before, int limit, boolean chinese) {
        return Mono.from(heads.find(Filters.eq("_id", memberId)).first()).flatMap(head -> {
            long total = head.get("count", 0L);
            long version = head.get("version", -1L);
            Mono<Long> end = before == null ? Mono.just(total) : position(memberId, before, total, version);
            return end.flatMap(until -> {
                long start = Math.max(0, until - limit);
                if (until <= start) {
                    return Mono.just(new Page(memberId, total, List.of(), null));
                }
                return entries(memberId, start / TimelineProjection.PAGE_SIZE,
                        (until - 1) / TimelineProjection.PAGE_SIZE, version)
                        .filter(entry -> entry.get("n", 0L) >= start && entry.get("n", 0L) < until)
                        .sort(TimelineProjection.ORDER.reversed())
                        .collectList()
                        .map(entries -> new Page(memberId, total, entries.stream()
                                .map(entry -> entry(entry, chinese)).toList(),
                                start == 0 || entries.isEmpty() ? null
                                        : Cursor.of(entries.get(entries.size() - 1)).encode()));
            });
        });
    }

    private static Entry entry(Document entry, boolean chinese) {
        Date recorded = entry.getDate("recordedAt");
        Instant at = entry.getDate("at").toInstant();
        return new Entry(entry.get("n", 0L), at, recorded == null ? at : recorded.toInstant(),
                entry.getString("kind"), entry.getString(chinese ? "zh" : "en"), entry.get("data", new Document()));
    }

    private Flux<Document> entries(String memberId, long fromPage, long toPage, long version) {
        List<String> ids = LongStream.rangeClosed(fromPage, toPage)
                .mapToObj(p -> TimelineProjection.pageId(memberId, p)).toList();
        return Flux.from(pages.find(Filters.in("_id", ids)))
                .flatMapIterable(page -> page.getList("entries", Document.class))
                .filter(entry -> entry.get("seq", 0L) <= version);
    }

    /**
     * The number of entries older than the cursor. Entries only ever move towards the newer end (a backdated fact is
     * inserted before them), so the search starts at the page the cursor's entry was on and walks newer-wards;
     * it walks back too should the entry have moved the other way.
     */
    private Mono<Long> position(String memberId, Cursor cursor, long total, long version) {
        long lastPage = total == 0 ? 0 : (total - 1) / TimelineProjection.PAGE_SIZE;
        return locate(memberId, cursor, Math.min(cursor.n() / TimelineProjection.PAGE_SIZE, lastPage), lastPage,
                version, 0, total);
    }

    private Mono<Long> locate(String memberId, Cursor cursor, long page, long lastPage, long version, int direction,
                              long total) {
        return entries(memberId, page, page, version).filter(entry -> entry.get("n", 0L) < total)
                .sort(TimelineProjection.ORDER).collectList().flatMap(entries -> {
                    boolean beforeAll = entries.isEmpty() || cursor.compareTo(entries.get(0)) <= 0;
                    boolean afterAll = !entries.isEmpty() && cursor.compareTo(entries.get(entries.size() - 1)) > 0;
                    if (beforeAll && page > 0 && direction <= 0) {
                        return locate(memberId, cursor, page - 1, lastPage, version, -1, total);
                    }
                    if (afterAll && page < lastPage && direction >= 0) {
                        return locate(memberId, cursor, page + 1, lastPage, version, 1, total);
                    }
                    long older = entries.stream().filter(entry -> cursor.compareTo(entry) > 0).count();
                    return Mono.just(page * TimelineProjection.PAGE_SIZE + older);
                });
    }

    /** @return the member a WeCom external user id belongs to, if it is linked */
    public Mono<String> memberOfExternalUser(String externalUserId) {
        return Mono.from(contacts.find(Filters.eq("_id", externalUserId)).first())
                .map(link -> link.getString("memberId"));
    }
}
