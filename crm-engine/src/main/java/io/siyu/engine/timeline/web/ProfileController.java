package io.siyu.engine.timeline.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.projections.audience.MemberFactsProjection;
import reactor.core.publisher.Mono;

/**
 * What the agent's sidebar shows beside the timeline: the member's consents now and their WeCom relationship (which
 * staff members they are a contact of, since when, through which contact way, with which tags; which customer groups
 * they are in). From the {@code member-facts} read model; no personal data (no phone, nickname, openid or unionid).
 * By member id, or by the external user id the sidebar gets from {@code getCurExternalContact}.
 */
@RestController
class ProfileController {

    private final MongoCollection<Document> facts;
    private final MongoCollection<Document> links;

    ProfileController(MongoDatabase reactiveMongoDatabase) {
        this.facts = reactiveMongoDatabase.getCollection(MemberFactsProjection.COLLECTION);
        this.links = reactiveMongoDatabase.getCollection(MemberFactsProjection.CONTACTS);
    }

    record Contact(String staffUserId, Instant since, String state, List<String> tags) {
    }

    record Group(String chatId, Instant joinedAt) {
    }

    /**
     * @param consents purpose → granted now
     * @param contacts the staff members the member is a WeCom contact of now
     * @param groups   the WeCom customer groups the member is in now
     */
    record Profile(String memberId, Instant registeredAt, String channel, String storeId, Map<String, Boolean> consents,
                   List<Contact> contacts, List<Group> groups, boolean erased) {
    }

    /** {@code GET /api/v1/members/{memberId}/profile}: 404 {@code unknown-member}. */
    @GetMapping("/api/v1/members/{memberId}/profile")
    Mono<Profile> byMember(@PathVariable String memberId) {
        return MemberIdPath.check(memberId).flatMap(id -> Mono.from(facts.find(Filters.eq("_id", id)).first())
                .switchIfEmpty(Mono.error(() -> new UnknownMemberException(id)))
                .map(ProfileController::profile));
    }

    /** {@code GET /api/v1/wecom/contacts/{externalUserId}/profile}: 404 {@code unknown-wecom-contact}. */
    @GetMapping("/api/v1/wecom/contacts/{externalUserId}/profile")
    Mono<Profile> byExternalUser(@PathVariable String externalUserId) {
        if (externalUserId.length() > 128) {
            throw new InvalidFieldException("externalUserId", "is longer than 128 characters");
        }
        return Mono.from(links.find(Filters.eq("_id", externalUserId)).first())
                .flatMap(link -> Mono.from(facts.find(Filters.eq("_id", link.getString("memberId"))).first()))
                .switchIfEmpty(Mono.error(() -> new TimelineController.UnknownContactException(externalUserId)))
                .map(ProfileController::profile);
    }

    private static Profile profile(Document member) {
        Map<String, Boolean> consents = new TreeMap<>();
        member.get("consents", new Document()).forEach((purpose, granted) ->
                consents.put(purpose, Boolean.TRUE.equals(granted)));
        Document tags = member.get("tags", new Document());
        List<Contact> contacts = new ArrayList<>();
        for (Document contact : member.getList("contacts", Document.class, List.of())) {
            String staff = contact.getString("staffUserId");
            contacts.add(new Contact(staff, instant(contact.getDate("addedAt")), contact.getString("state"),
                    tags.getList(staff, String.class, List.of())));
        }
        List<Group> groups = new ArrayList<>();
        for (Document group : member.getList("groups", Document.class, List.of())) {
            groups.add(new Group(group.getString("chatId"), instant(group.getDate("joinedAt"))));
        }
        return new Profile(member.getString("_id"), instant(member.getDate("registeredAt")),
                member.getString("channel"), member.getString("storeId"), consents, contacts, groups,
                Boolean.TRUE.equals(member.getBoolean("erased")));
    }

    private static Instant instant(Date at) {
        return at == null ? null : at.toInstant();
    }
}
