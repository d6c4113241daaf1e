package io.siyu.engine.campaign;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.api.campaign.CampaignAudiencePage;
import io.siyu.api.campaign.FindCampaignAudience;
import io.siyu.api.campaign.FindConsentingMembers;
import io.siyu.engine.tier.config.TierProperties;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.MemberFactsProjection;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.segment.SegmentCatalog;
import io.siyu.projections.segment.SegmentCriteria;
import reactor.core.publisher.Flux;

/**
 * Answers the bridge's campaign questions from the member index and the member facts: a saved segment's consenting
 * members with their current WeCom contacts, page by page (the members' facts read by id, a page at a time), and
 * which members consent now. Members who do not consent are counted, never listed (PIPL: a count needs no consent, a
 * list for a campaign does).
 */
@Component
class CampaignAudience {

    private final SegmentCatalog catalog;
    private final MemberIndex index;
    private final MongoCollection<Document> facts;
    private final Clock clock;
    private final Set<String> tiers;
    private final ObjectMapper json = new ObjectMapper();

    CampaignAudience(SegmentCatalog catalog, MemberIndex index, MongoDatabase reactiveMongoDatabase, Clock clock,
                     TierProperties tierProperties) {
        this.catalog = catalog;
        this.index = index;
        this.facts = reactiveMongoDatabase.getCollection(MemberFactsProjection.COLLECTION);
        this.clock = clock;
        this.tiers = tierProperties.codes();
    }

    @QueryHandler
    CampaignAudiencePage handle(FindCampaignAudience query) {
        SegmentCatalog.SavedSegment segment = catalog.find(query.segmentId()).blockOptional().orElse(null);
        if (segment == null) {
            return new CampaignAudiencePage(false, 0, 0, List.of(), null);
        }
        Criterion criterion;
        try {
            criterion = SegmentCriteria.parse(json.readTree(segment.criteria()), "criteria", tiers);
        } catch (IOException unreadable) {
            throw new IllegalStateException("a saved segment's criteria do not parse", unreadable);
        }
        Instant now = clock.instant();
        BitSet inSegment = index.select(criterion, now);
        BitSet consenting = index.select(new Criterion.Consents(query.purpose()), now);
        consenting.and(inSegment);
        int limit = Math.max(1, Math.min(1000, query.limit()));
        List<String> page = index.page(consenting, query.after(), limit);
        Map<String, Document> byId = new HashMap<>();
        if (!page.isEmpty()) {
            Flux.from(facts.find(Filters.in("_id", page))).toIterable()
                    .forEach(member -> byId.put(member.getString("_id"), member));
        }
        List<CampaignAudiencePage.Recipient> recipients = new ArrayList<>(page.size());
        for (String memberId : page) {
            Document member = byId.get(memberId);
            if (member == null || member.getBoolean("erased", false)) {
                continue;
            }
            List<CampaignAudiencePage.Contact> contacts = new ArrayList<>();
            for (Document contact : member.getList("contacts", Document.class, List.of())) {
                Date added = contact.getDate("addedAt");
                if (contact.getString("externalUserId") != null) {
                    contacts.add(new CampaignAudiencePage.Contact(contact.getString("staffUserId"),
                            contact.getString("externalUserId"), added == null ? null : added.toInstant()));
                }
            }
            recipients.add(new CampaignAudiencePage.Recipient(memberId, contacts));
        }
        long everyone = inSegment.cardinality();
        return new CampaignAudiencePage(true, everyone, everyone - consenting.cardinality(), recipients,
                page.size() < limit ? null : page.get(page.size() - 1));
    }

    /** @return the ids among those asked that consent to the purpose now, read from the members' facts */
    @QueryHandler
    List<String> handle(FindConsentingMembers query) {
        if (query.memberIds().isEmpty()) {
            return List.of();
        }
        List<String> consenting = new ArrayList<>();
        Flux.from(facts.find(Filters.in("_id", query.memberIds()))).toIterable().forEach(member -> {
            if (!member.getBoolean("erased", false)
                    && Boolean.TRUE.equals(member.get("consents", new Document()).get(query.purpose()))) {
                consenting.add(member.getString("_id"));
            }
        });
        return consenting;
    }
}
