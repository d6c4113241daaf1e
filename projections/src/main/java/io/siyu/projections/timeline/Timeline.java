package io.siyu.projections.timeline;

import java.time.Instant;
import java.util.Comparator;
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

/** Reads a member's timeline newest first, a page at a time, by point reads only. */
@Component
public class Timeline {

    /** One entry; {@code line} is in the language asked for. */
    public record Entry(long n, Instant at, String kind, String line, Map<String, Object> data) {
    }

    /**
     * @param nextBefore the {@code before} that reads the next (older) page, or {@code null} at the first entry
     */
    public record Page(String memberId, long total, List<Entry> entries, Long nextBefore) {
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
     * @param before  entries numbered below this ({@code null}: the newest)
     * @param limit   at most this many
     * @param chinese Chinese lines rather than English
     * @return the page, or empty when the member has no timeline
     */
    public Mono<Page> page(String memberId, Long before, int limit, boolean chinese) {
        return Mono.from(heads.find(Filters.eq("_id", memberId)).first()).flatMap(head -> {
            long total = head.get("count", 0L);
            long end = before == null ? total : Math.min(before, total);
            long start = Math.max(0, end - limit);
            if (end <= start) {
                return Mono.just(new Page(memberId, total, List.of(), null));
            }
            List<String> ids = LongStream.rangeClosed(start / TimelineProjection.PAGE_SIZE,
                    (end - 1) / TimelineProjection.PAGE_SIZE).mapToObj(p -> TimelineProjection.pageId(memberId, p))
                    .toList();
            return Flux.from(pages.find(Filters.in("_id", ids)))
                    .flatMapIterable(page -> page.getList("entries", Document.class))
                    .filter(entry -> entry.get("n", 0L) >= start && entry.get("n", 0L) < end)
                    .map(entry -> new Entry(entry.get("n", 0L), entry.getDate("at").toInstant(),
                            entry.getString("kind"), entry.getString(chinese ? "zh" : "en"),
                            entry.get("data", new Document())))
                    .sort(Comparator.comparingLong(Entry::n).reversed())
                    .collectList()
                    .map(entries -> new Page(memberId, total, entries, start == 0 ? null : start));
        });
    }

    /** @return the member a WeCom external user id belongs to, if it is linked */
    public Mono<String> memberOfExternalUser(String externalUserId) {
        return Mono.from(contacts.find(Filters.eq("_id", externalUserId)).first())
                .map(link -> link.getString("memberId"));
    }
}
