package io.siyu.wecom.campaign;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.campaign.CampaignAttachment;
import io.siyu.api.campaign.CampaignDefined;
import io.siyu.api.campaign.CampaignStopped;
import io.siyu.wecom.store.FirstWrite;
import reactor.core.publisher.Mono;

/**
 * The campaigns the runner works on ({@code wecom_campaigns}, one document per campaign): the definition from
 * {@link CampaignDefined}, and the runner's progress — the next run, runs done, the run under way. A definition read
 * again (a replay) never resets the progress: it is written only when the document is first made.
 */
@Component
@ProcessingGroup(CampaignDefinitions.PROCESSING_GROUP)
class CampaignDefinitions {

    static final String PROCESSING_GROUP = "wecom-campaigns";
    static final String COLLECTION = "wecom_campaigns";

    private final MongoCollection<Document> campaigns;

    CampaignDefinitions(MongoDatabase reactiveMongoDatabase) {
        this.campaigns = reactiveMongoDatabase.getCollection(COLLECTION);
    }

    @EventHandler
    void on(CampaignDefined event, @Timestamp Instant definedAt) {
        Instant first = event.schedule().startAt() == null ? definedAt : event.schedule().startAt();
        Document campaign = new Document("_id", event.campaignId()).append("name", event.name())
                .append("segmentId", event.segmentId()).append("purpose", event.purpose())
                .append("text", event.message().text())
                .append("attachments", event.message().attachments().stream().map(CampaignDefinitions::attachment)
                        .toList())
                .append("joinWayState", event.joinWayState()).append("joinChatIds", event.joinChatIds())
                .append("daily", event.schedule().daily()).append("startAt", Date.from(first))
                .append("endAt", event.schedule().endAt() == null ? null : Date.from(event.schedule().endAt()))
                .append("definedAt", Date.from(definedAt)).append("stopped", false)
                .append("nextRunAt", Date.from(first)).append("runs", 0);
        FirstWrite.insert(campaigns, campaign).block();
    }

    @EventHandler
    void on(CampaignStopped event) {
        Mono.from(campaigns.updateOne(Filters.eq("_id", event.campaignId()), Updates.combine(
                Updates.set("stopped", true), Updates.set("nextRunAt", null)))).block();
    }

    private static Document attachment(CampaignAttachment attachment) {
        return new Document("type", attachment.type()).append("mediaId", attachment.mediaId())
                .append("picUrl", attachment.picUrl()).append("title", attachment.title())
                .append("description", attachment.description()).append("url", attachment.url())
                .append("appId", attachment.appId()).append("page", attachment.page())
                .append("joinWayState", attachment.joinWayState());
    }

    static List<CampaignAttachment> attachments(Document campaign) {
        return campaign.getList("attachments", Document.class, List.of()).stream()
                .map(doc -> new CampaignAttachment(doc.getString("type"), doc.getString("mediaId"),
                        doc.getString("picUrl"), doc.getString("title"), doc.getString("description"),
                        doc.getString("url"), doc.getString("appId"), doc.getString("page"),
                        doc.getString("joinWayState")))
                .toList();
    }
}
