package io.siyu.projections.segment;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.segment.SegmentBoundToWeComTag;
import io.siyu.api.segment.SegmentDefined;
import io.siyu.api.segment.SegmentUnboundFromWeComTag;
import io.siyu.projections.support.RebuildableProjection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Saved segments' definitions and the WeCom tag each is bound to ({@code segments}, one document per segment, read
 * by {@code _id}).
 */
@Component
@ProcessingGroup(SegmentCatalog.PROCESSING_GROUP)
public class SegmentCatalog implements RebuildableProjection {

    public static final String PROCESSING_GROUP = "segment-catalog";
    public static final String COLLECTION = "segments";

    /** A saved segment; {@code criteria} is the JSON it was saved with; {@code weComTagId} may be {@code null}. */
    public record SavedSegment(String segmentId, String name, String criteria, String actor, Instant definedAt,
                               String weComTagId) {
    }

    private final MongoCollection<Document> segments;

    private final MongoDatabase database;

    @Autowired
    SegmentCatalog(MongoDatabase reactiveMongoDatabase) {
        this(reactiveMongoDatabase, "");
    }

    private SegmentCatalog(MongoDatabase database, String suffix) {
        this.database = database;
        this.segments = database.getCollection(COLLECTION + suffix);
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
        return new SegmentCatalog(database, suffix);
    }

    /** A definition never changes once saved, so writing it again on a replay changes nothing. */
    @EventHandler
    void on(SegmentDefined event, @Timestamp Instant at) {
        Mono.from(segments.replaceOne(Filters.eq("_id", event.segmentId()),
                new Document("_id", event.segmentId()).append("name", event.name())
                        .append("criteria", event.criteria()).append("actor", event.actor())
                        .append("definedAt", Date.from(at)),
                new ReplaceOptions().upsert(true))).block();
    }

    @EventHandler
    void on(SegmentBoundToWeComTag event) {
        Mono.from(segments.updateOne(Filters.eq("_id", event.segmentId()), Updates.set("weComTagId", event.tagId())))
                .block();
    }

    @EventHandler
    void on(SegmentUnboundFromWeComTag event) {
        Mono.from(segments.updateOne(Filters.eq("_id", event.segmentId()), Updates.unset("weComTagId"))).block();
    }

    @ResetHandler
    void reset() {
        Mono.from(segments.deleteMany(new Document())).block();
    }

    public Mono<SavedSegment> find(String segmentId) {
        return Mono.from(segments.find(Filters.eq("_id", segmentId)).first()).map(SegmentCatalog::toSegment);
    }

    /** Every saved segment (a marketer's handful, read whole). */
    public List<SavedSegment> all() {
        return Flux.from(segments.find()).map(SegmentCatalog::toSegment).collectList().blockOptional()
                .orElse(List.of());
    }

    private static SavedSegment toSegment(Document segment) {
        return new SavedSegment(segment.getString("_id"), segment.getString("name"), segment.getString("criteria"),
                segment.getString("actor"), segment.getDate("definedAt").toInstant(), segment.getString("weComTagId"));
    }
}
