package io.siyu.engine.access;

import java.util.List;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.siyu.projections.audience.MemberFactsProjection;
import io.siyu.wecom.api.WeComApi;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether a member is one of an agent's WeCom contacts: by the recorded WeCom facts first (the member's facts
 * document, a point read), and on a miss by asking WeCom ({@code externalcontact/get}) about the member's external
 * user ids, since a brand-new contact's callback may still be on its way.
 */
public final class AgentContacts {

    private static final Logger log = LoggerFactory.getLogger(AgentContacts.class);

    private final MongoCollection<Document> facts;
    private final MongoCollection<Document> links;
    private final WeComApi weCom;
    private final boolean weComConfigured;

    public AgentContacts(MongoDatabase database, WeComApi weCom, boolean weComConfigured) {
        this.weComConfigured = weComConfigured;
        this.facts = database.getCollection(MemberFactsProjection.COLLECTION);
        this.links = database.getCollection(MemberFactsProjection.CONTACTS);
        this.weCom = weCom;
    }

    /** @return whether the member is a contact of staff member {@code staffUserId} now */
    public Mono<Boolean> isContact(String staffUserId, String memberId) {
        return Mono.from(facts.find(Filters.eq("_id", memberId)).first())
                .flatMap(member -> {
                    if (recorded(member, "contacts", staffUserId)) {
                        return Mono.just(true);
                    }
                    return Flux.fromIterable(member.getList("contactLog", Document.class, List.of()))
                            .map(entry -> entry.getString("externalUserId")).filter(id -> id != null).distinct()
                            .concatMap(externalUserId -> askWeCom(staffUserId, externalUserId))
                            .any(Boolean::booleanValue);
                })
                .defaultIfEmpty(false);
    }

    /** @return whether external user {@code externalUserId} is a contact of staff member {@code staffUserId} now */
    public Mono<Boolean> follows(String staffUserId, String externalUserId) {
        return Mono.from(links.find(Filters.eq("_id", externalUserId)).first())
                .flatMap(link -> Mono.from(facts.find(Filters.eq("_id", link.getString("memberId"))).first()))
                .map(member -> recorded(member, "contacts", staffUserId))
                .defaultIfEmpty(false)
                .flatMap(known -> known ? Mono.just(true) : askWeCom(staffUserId, externalUserId));
    }

    private static boolean recorded(Document member, String field, String staffUserId) {
        return member.getList(field, Document.class, List.of()).stream()
                .anyMatch(contact -> staffUserId.equals(contact.getString("staffUserId")));
    }

    private Mono<Boolean> askWeCom(String staffUserId, String externalUserId) {
        if (!weComConfigured) {
            return Mono.just(false);
        }
        return Mono.fromCallable(() -> weCom.contact(externalUserId)
                        .map(contact -> contact.tagsByStaff().containsKey(staffUserId)).orElse(false))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(failure -> {
                    Integer errcode = WeComApi.errcode(failure);
                    log.warn("WeCom could not confirm a contact for an agent ({}); refused", errcode == null
                            ? failure.getClass().getSimpleName() : "errcode " + errcode);
                    return Mono.just(false);
                });
    }
}
