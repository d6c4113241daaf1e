package io.siyu.engine.member.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.store.MongoEndpoint;
import io.siyu.engine.web.MemberIdPath;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The member's own copy (PIPL Art. 45): {@code GET /members/{id}/export} (and {@code /me/export}) answers everything
 * Siyu holds about the member as JSON — {@code profile} (openid, unionid, nickname, the masked phone, where and when
 * they registered), {@code consents} (now and their history), {@code points} (balance and open lots), {@code tier},
 * {@code segments} they are in, and {@code facts}: every event of their stream in order, with its kind, when it was
 * recorded and its content (purchases, refunds, point movements, check-ins, tier changes, rewards, WeCom contacts,
 * groups and tags). Read from the member's events and read models; its cost grows with the member's history, as a
 * copy of it must. 404 {@code unknown-member}.
 */
@RestController
@RequestMapping("/api/v1/members")
class ExportController {

    private final EventStore events;
    private final MongoCollection<Document> points;
    private final MongoCollection<Document> facts;
    private final Clock clock;

    ExportController(EventStore events, MongoClient syncMongoClient, MongoEndpoint endpoint, Clock clock) {
        this.events = events;
        this.points = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_points");
        this.facts = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_facts");
        this.clock = clock;
    }

    /** One fact of the member's stream: its place, kind (the event's name), when recorded, and what it says. */
    record Fact(long sequence, String kind, Instant recordedAt, Object content) {
    }

    record Export(String memberId, Instant exportedAt, Map<String, Object> profile, Map<String, Object> consents,
                  Map<String, Object> points, String tier, List<String> segments, List<Fact> facts) {
    }

    @GetMapping("/{memberId}/export")
    Mono<Export> export(@PathVariable String memberId) {
        return MemberIdPath.check(memberId).flatMap(id -> Mono.fromCallable(() -> build(id))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    private Export build(String memberId) {
        List<Fact> stream = new ArrayList<>();
        Map<String, Object> profile = new TreeMap<>();
        events.readEvents(memberId, 0L).asStream().forEach(event -> {
            DomainEventMessage<?> message = event;
            Object payload = message.getPayload();
            stream.add(new Fact(message.getSequenceNumber(), message.getPayloadType().getSimpleName(),
                    message.getTimestamp(), payload));
            if (payload instanceof io.siyu.api.member.MemberRegistered registered) {
                profile.put("openid", registered.openid());
                // always named, null when not given or erased
                profile.put("unionid", registered.unionid());
                profile.put("nickname", registered.nickname());
                profile.put("phoneMasked", registered.phoneMasked());
                profile.put("channel", registered.channel() == null ? null : registered.channel().code());
                putIfPresent(profile, "storeId", registered.storeId());
                profile.put("registeredAt", message.getTimestamp());
            } else if (payload instanceof io.siyu.api.member.MemberUnionidAttached attached) {
                profile.put("unionid", attached.unionid());
            } else if (payload instanceof io.siyu.api.member.PhoneBound bound) {
                profile.put("phoneMasked", bound.phoneMasked());
            }
        });
        if (stream.isEmpty()) {
            throw new UnknownMemberException(memberId);
        }
        Document view = points.find(Filters.eq("_id", memberId)).first();
        Map<String, Object> pointsNow = new TreeMap<>();
        if (view != null) {
            pointsNow.put("balance", view.get("balance", 0L));
            putIfPresent(pointsNow, "debt", view.get("debt"));
            putIfPresent(pointsNow, "lots", view.get("lots"));
        }
        Document member = facts.find(Filters.eq("_id", memberId)).first();
        Map<String, Object> consents = new TreeMap<>();
        List<String> segments = List.of();
        String tier = null;
        if (member != null) {
            consents.put("now", member.get("consents", new Document()));
            consents.put("history", member.getList("consentHistory", Document.class, List.of()));
            segments = member.getList("segments", String.class, List.of());
            tier = member.getString("tier");
        }
        return new Export(memberId, clock.instant(), profile, consents, pointsNow, tier, segments, stream);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
