package io.siyu.engine.member.web;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.member.ChangeConsent;
import io.siyu.api.member.ConsentResult;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * A member gives or withdraws consent for a purpose (PIPL); segments can require it. {@code GET} answers the member's
 * consents now ({@code consents: {purpose: granted}}) and the history of their changes, newest first
 * ({@code history: [{purpose, granted, source, changeId, at}]}, the latest 50), from the member-facts read model;
 * 404 {@code unknown-member} for a member it does not hold.
 */
@RestController
@RequestMapping("/api/v1/members")
class ConsentController {

    private final MemberWrites writes;
    private final io.siyu.engine.member.config.PrivacyProperties privacy;
    private final com.mongodb.client.MongoCollection<org.bson.Document> facts;

    ConsentController(MemberWrites writes, com.mongodb.client.MongoClient syncMongoClient,
                      io.siyu.engine.store.MongoEndpoint endpoint,
                      io.siyu.engine.member.config.PrivacyProperties privacy) {
        this.writes = writes;
        this.privacy = privacy;
        this.facts = syncMongoClient.getDatabase(endpoint.database()).getCollection("member_facts");
    }

    /** One change of consent: what, given or withdrawn, through which channel, its id, when it was recorded. */
    record ConsentChange(String purpose, boolean granted, String source, String policyVersion, String changeId,
                         java.time.Instant at) {
    }

    record Consents(String memberId, java.util.Map<String, Boolean> consents, java.util.List<ConsentChange> history) {
    }

    @org.springframework.web.bind.annotation.GetMapping("/{memberId}/consents")
    Mono<Consents> consents(@PathVariable String memberId) {
        return MemberIdPath.check(memberId).flatMap(id -> Mono.fromCallable(() -> {
            org.bson.Document member = facts.find(com.mongodb.client.model.Filters.eq("_id", id)).first();
            if (member == null) {
                throw new io.siyu.engine.member.UnknownMemberException(id);
            }
            java.util.Map<String, Boolean> now = new java.util.TreeMap<>();
            member.get("consents", new org.bson.Document()).forEach((purpose, granted) ->
                    now.put(purpose, Boolean.TRUE.equals(granted)));
            java.util.List<ConsentChange> history = new java.util.ArrayList<>();
            for (org.bson.Document change : member.getList("consentHistory", org.bson.Document.class,
                    java.util.List.of())) {
                history.add(0, new ConsentChange(change.getString("purpose"), change.getBoolean("granted", false),
                        change.getString("source"), change.getString("policyVersion"), change.getString("changeId"),
                        change.getDate("at").toInstant()));
            }
            return new Consents(id, now, history);
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()));
    }

    record ConsentRequest(@NotBlank @Size(max = 64) String changeId,
                          @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9_-]+",
                                  message = "must be lower-case letters, digits, _ and -") String purpose,
                          @NotNull Boolean granted,
                          @Size(max = 64) String source,
                          @Size(max = 32) @Pattern(regexp = "[A-Za-z0-9_.:-]+",
                                  message = "must be letters, digits, _ . : and -") String policyVersion) {
    }

    @PostMapping("/{memberId}/consents")
    Mono<ConsentResult> change(@PathVariable String memberId, @Valid @RequestBody ConsentRequest request) {
        if (!privacy.purposes().contains(request.purpose())) {
            throw new io.siyu.engine.web.InvalidFieldException("purpose", "must be one of " + privacy.purposes());
        }
        return MemberIdPath.check(memberId).flatMap(id -> writes.send(id, new ChangeConsent(id, request.changeId(),
                request.purpose(), request.granted(), request.source(), request.policyVersion())));
    }
}
