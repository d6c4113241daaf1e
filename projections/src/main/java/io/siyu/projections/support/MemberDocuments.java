package io.siyu.projections.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.bson.Document;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One document per member, changed by a processor's batch of events in two round trips. Each event's change is queued;
 * after the batch's last event (before Axon stores its token, see {@link BatchFlush}), the documents of all members it touched are read with one
 * {@code $in} on {@code _id}, the changes are applied in order, and the changed documents are written with one
 * {@code bulkWrite}. A change whose sequence number the document already includes ({@code version}) is skipped, so a
 * redelivered or replayed batch changes nothing.
 */
public final class MemberDocuments {

    private final MongoCollection<Document> documents;
    private final String batchResource;
    private final Consumer<List<Document>> written;
    private final Counter applied;
    private final Counter skipped;

    /**
     * @param documents       the collection, one document per member keyed by member id
     * @param processingGroup the processing group (names the metrics and the batch)
     * @param meterRegistry   where {@code siyu.projection.events} is counted
     * @param written         told of the changed documents after they are written (same thread, same batch)
     */
    public MemberDocuments(MongoCollection<Document> documents, String processingGroup, MeterRegistry meterRegistry,
                           Consumer<List<Document>> written) {
        this.documents = documents;
        this.batchResource = MemberDocuments.class.getName() + "." + processingGroup + "." + documents.getNamespace();
        this.written = written;
        this.applied = meterRegistry.counter("siyu.projection.events", "group", processingGroup, "outcome", "applied");
        this.skipped = meterRegistry.counter("siyu.projection.events", "group", processingGroup, "outcome", "skipped");
    }

    public MongoCollection<Document> collection() {
        return documents;
    }

    /** Queues one event's change of a member's document for the current batch. */
    public void update(String memberId, long sequence, Consumer<Document> change) {
        currentBatch().add(new Change(memberId, sequence, change));
    }

    private record Change(String memberId, long sequence, Consumer<Document> apply) {
    }

    private List<Change> currentBatch() {
        return BatchFlush.pending(batchResource, this::flush);
    }

    private void flush(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<String> memberIds = changes.stream().map(Change::memberId).distinct().toList();
        Map<String, Document> byId = new LinkedHashMap<>();
        Flux.from(documents.find(Filters.in("_id", memberIds)))
                .doOnNext(document -> byId.put(document.getString("_id"), document))
                .blockLast();
        Map<String, Document> changed = new LinkedHashMap<>();
        for (Change change : changes) {
            Document document = byId.computeIfAbsent(change.memberId(),
                    id -> new Document("_id", id).append("version", -1L));
            if (document.get("version", -1L) >= change.sequence()) {
                skipped.increment();
                continue;
            }
            change.apply().accept(document);
            document.put("version", change.sequence());
            changed.put(change.memberId(), document);
            applied.increment();
        }
        if (changed.isEmpty()) {
            return;
        }
        List<ReplaceOneModel<Document>> writes = changed.values().stream()
                .map(document -> new ReplaceOneModel<>(Filters.eq("_id", document.get("_id")), document,
                        new ReplaceOptions().upsert(true)))
                .toList();
        Mono.from(documents.bulkWrite(writes, new BulkWriteOptions().ordered(false))).block();
        written.accept(List.copyOf(changed.values()));
    }
}
