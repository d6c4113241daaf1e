package io.siyu.wecom.tags;

import java.util.List;
import java.util.Optional;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.member.ConsentChanged;
import io.siyu.api.member.MemberErased;
import io.siyu.api.segment.MemberEnteredSegment;
import io.siyu.api.segment.MemberLeftSegment;
import io.siyu.api.segment.SegmentBoundToWeComTag;
import io.siyu.api.segment.SegmentUnboundFromWeComTag;
import io.siyu.api.wecom.WeComContactAdded;
import io.siyu.api.wecom.WeComContactRemoved;
import io.siyu.wecom.outbox.ConsentCheck;
import io.siyu.wecom.outbox.Outbox;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps WeCom tags in step with the segments bound to them: a member in a bound segment carries the segment's tag on
 * every staff member's contact entry of them. Entering or leaving the segment, becoming a staff member's contact, and
 * binding, rebinding or unbinding the segment each put the tag on or take it off where needed, through the outbox
 * ({@code mark_tag}, one entry per tag, staff member and contact, holding the state wanted).
 * <p>
 * What it needs to decide is kept from the same events, in its own processing group so it sees them in stream
 * order: each member's contacts and segments ({@code wecom_tag_members}) and each bound segment's tag
 * ({@code wecom_tag_bindings}).
 */
@Component
@ProcessingGroup(TagSync.PROCESSING_GROUP)
class TagSync {

    static final String PROCESSING_GROUP = "wecom-tag-sync";
    static final String MEMBERS = "wecom_tag_members";

    private final MongoCollection<Document> members;
    private final MongoCollection<Document> bindings;
    private final Outbox outbox;

    TagSync(MongoDatabase reactiveMongoDatabase, Outbox outbox) {
        this.members = reactiveMongoDatabase.getCollection(MEMBERS);
        this.bindings = reactiveMongoDatabase.getCollection("wecom_tag_bindings");
        this.outbox = outbox;
    }

    /** One staff member's contact entry of a member. */
    private record Contact(String staffUserId, String externalUserId) {
    }

    @EventHandler
    void on(SegmentBoundToWeComTag event) {
        Mono.from(bindings.replaceOne(Filters.eq("_id", event.segmentId()),
                new Document("_id", event.segmentId()).append("tagId", event.tagId()),
                new ReplaceOptions().upsert(true))).block();
        inSegment(event.segmentId()).forEach(member -> contacts(member).forEach(contact -> {
            if (event.previousTagId() != null) {
                tag(event.previousTagId(), contact, false, member.getString("_id"));
            }
            tag(event.tagId(), contact, true, member.getString("_id"));
        }));
    }

    @EventHandler
    void on(SegmentUnboundFromWeComTag event) {
        Mono.from(bindings.deleteOne(Filters.eq("_id", event.segmentId()))).block();
        inSegment(event.segmentId()).forEach(member -> contacts(member).forEach(contact ->
                tag(event.tagId(), contact, false, member.getString("_id"))));
    }

    @EventHandler
    void on(MemberEnteredSegment event) {
        Document member = update(event.memberId(), Updates.addToSet("segments", event.segmentId()));
        boundTag(event.segmentId()).ifPresent(tagId -> contacts(member).forEach(contact ->
                tag(tagId, contact, true, event.memberId())));
    }

    @EventHandler
    void on(MemberLeftSegment event) {
        Document member = update(event.memberId(), Updates.pull("segments", event.segmentId()));
        boundTag(event.segmentId()).ifPresent(tagId -> contacts(member).forEach(contact ->
                tag(tagId, contact, false, event.memberId())));
    }

    /**
     * Tags select people for marketing: a member who withdraws marketing consent has Siyu's tags taken off (and
     * whatever tagging was queued is withheld when its turn comes); one who gives it gets them back.
     */
    @EventHandler
    void on(ConsentChanged event) {
        Document member = update(event.memberId(), Updates.set("consents." + event.purpose(), event.granted()));
        if (!ConsentCheck.MARKETING.equals(event.purpose())) {
            return;
        }
        for (String segmentId : member.getList("segments", String.class, List.of())) {
            boundTag(segmentId).ifPresent(tagId -> contacts(member).forEach(contact ->
                    tag(tagId, contact, event.granted(), event.memberId())));
        }
    }

    /** An erased member's tags come off every contact entry, and what was kept of them here goes. */
    @EventHandler
    void on(MemberErased event) {
        Document member = Mono.from(members.find(Filters.eq("_id", event.memberId())).first()).block();
        if (member == null) {
            return;
        }
        for (String segmentId : member.getList("segments", String.class, List.of())) {
            boundTag(segmentId).ifPresent(tagId -> contacts(member).forEach(contact ->
                    outbox.untagErased(tagId, contact.staffUserId(), contact.externalUserId())));
        }
        Mono.from(members.deleteOne(Filters.eq("_id", event.memberId()))).block();
    }

    @EventHandler
    void on(WeComContactAdded event) {
        if (event.externalUserId() == null) {
            return; // an erased member's, read again
        }
        Contact contact = new Contact(event.staffUserId(), event.externalUserId());
        Document member = update(event.memberId(), Updates.addToSet("contacts",
                new Document("staffUserId", contact.staffUserId()).append("externalUserId",
                        contact.externalUserId())));
        for (String segmentId : member.getList("segments", String.class, List.of())) {
            boundTag(segmentId).ifPresent(tagId -> tag(tagId, contact, true, event.memberId()));
        }
    }

    /** The relationship is gone, and the tags on it with it: nothing to take off. */
    @EventHandler
    void on(WeComContactRemoved event) {
        if (event.externalUserId() == null) {
            return; // an erased member's, read again
        }
        update(event.memberId(), Updates.pull("contacts", new Document("staffUserId", event.staffUserId())
                .append("externalUserId", event.externalUserId())));
    }

    @ResetHandler
    void reset() {
        Mono.from(members.deleteMany(new Document())).block();
        Mono.from(bindings.deleteMany(new Document())).block();
    }

    private void tag(String tagId, Contact contact, boolean tagged, String memberId) {
        outbox.tag(tagId, contact.staffUserId(), contact.externalUserId(), tagged, memberId);
    }

    /** @return the member's contacts and segments after the change */
    private Document update(String memberId, Bson change) {
        return Mono.from(members.findOneAndUpdate(Filters.eq("_id", memberId), change,
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER))).block();
    }

    private Optional<String> boundTag(String segmentId) {
        return Mono.from(bindings.find(Filters.eq("_id", segmentId)).first()).map(bound -> bound.getString("tagId"))
                .blockOptional();
    }

    /** The members in a segment: a scan, done when a segment is bound or unbound. */
    private List<Document> inSegment(String segmentId) {
        return Flux.from(members.find(Filters.eq("segments", segmentId))).collectList().block();
    }

    private static List<Contact> contacts(Document member) {
        return member.getList("contacts", Document.class, List.of()).stream()
                .map(contact -> new Contact(contact.getString("staffUserId"), contact.getString("externalUserId")))
                .toList();
    }
}
