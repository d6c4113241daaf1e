package io.siyu.wecom.tags;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.wecom.outbox.ConsentCheck;
import reactor.core.publisher.Mono;

/**
 * The consents tag sync keeps beside each member's contacts ({@code wecom_tag_members.consents}), recorded from the
 * member's events in the same order as the tagging they gate, so a tag queued after a consent never meets a copy that
 * has not seen it yet.
 */
@Component
class TagConsents implements ConsentCheck {

    private final MongoCollection<Document> members;

    TagConsents(MongoDatabase reactiveMongoDatabase) {
        this.members = reactiveMongoDatabase.getCollection(TagSync.MEMBERS);
    }

    @Override
    public boolean allows(String memberId, String purpose) {
        Document member = Mono.from(members.find(Filters.eq("_id", memberId)).first()).block();
        return member != null && Boolean.TRUE.equals(member.get("consents", new Document()).get(purpose));
    }
}
