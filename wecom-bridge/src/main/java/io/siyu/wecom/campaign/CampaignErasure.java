package io.siyu.wecom.campaign;

import java.util.Collection;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * What campaigns forget of an erased member: their claims (which held their external user id), their place in tasks
 * (a task not yet handed to staff goes without them; one already handed keeps no trace of them, so no outcome is
 * recorded for them) and their receipts. Scans, as erasures are rare. Each step can run again.
 */
@Component
public class CampaignErasure {

    private final MongoCollection<Document> recipients;
    private final MongoCollection<Document> tasks;
    private final MassReceipts receipts;

    CampaignErasure(MongoDatabase reactiveMongoDatabase, MassReceipts receipts) {
        this.recipients = reactiveMongoDatabase.getCollection(CampaignPlanner.RECIPIENTS);
        this.tasks = reactiveMongoDatabase.getCollection(CampaignPlanner.TASKS);
        this.receipts = receipts;
    }

    /** @return how many claims were dropped */
    public long forget(String memberId, Collection<String> externalUserIds) {
        long claims = Mono.from(recipients.deleteMany(Filters.eq("m", memberId))).map(r -> r.getDeletedCount())
                .defaultIfEmpty(0L).block();
        Mono.from(tasks.updateMany(Filters.eq("recipients.m", memberId),
                Updates.pull("recipients", new Document("m", memberId)))).block();
        if (!externalUserIds.isEmpty()) {
            Mono.from(tasks.updateMany(Filters.in("failList", List.copyOf(externalUserIds)),
                    Updates.pullAll("failList", List.copyOf(externalUserIds)))).block();
        }
        receipts.forget(List.copyOf(externalUserIds));
        return claims;
    }
}
