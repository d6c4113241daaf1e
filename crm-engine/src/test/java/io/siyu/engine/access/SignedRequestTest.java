package io.siyu.engine.access;

import java.time.Clock;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.Signer;
import io.siyu.engine.support.TestClock;

/** An order system signs its requests; anything that does not prove the signer is refused and writes nothing. */
@EngineTest
class SignedRequestTest {

    @Autowired
    WebTestClient web;
    @Autowired
    AllowedCallers callers;
    @Autowired
    TestClock clock;
    @Autowired
    Clock engineClock;
    @Autowired
    Credentials credentials;

    private WebTestClient.ResponseSpec register(String authorization, String body) {
        return web.post().uri("/api/v1/members").header(HttpHeaders.AUTHORIZATION, authorization)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private long now() {
        return engineClock.instant().getEpochSecond();
    }

    private static String body(String openid) {
        return "{\"openid\":\"" + openid + "\",\"channel\":\"pos\"}";
    }

    @Test
    void aSignedRegistrationIsAcceptedOnceAndEveryForgeryIsRefused() {
        String key = callers.key(Role.INTEGRATION);
        String openid = Api.newOpenid();
        String nonce = UUID.randomUUID().toString();
        String signed = Signer.authorization(key, "POST", "/api/v1/members", now(), nonce, body(openid));
        register(signed, body(openid)).expectStatus().isCreated();

        // the same request again: its nonce was used
        register(signed, body(openid)).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").value(detail ->
                        org.assertj.core.api.Assertions.assertThat((String) detail).contains("nonce"));
        // the body changed after signing
        String other = Api.newOpenid();
        String tampered = Signer.authorization(key, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(),
                body(other));
        register(tampered, body(other).replace("pos", "wecom")).expectStatus().isUnauthorized();
        // a key that is not the credential's
        String wrongKey = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");
        register(Signer.authorization(wrongKey, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(),
                body(other)), body(other)).expectStatus().isUnauthorized();
        // signed six minutes ago (the window is five)
        register(Signer.authorization(key, "POST", "/api/v1/members", now() - 360, "n-" + UUID.randomUUID(),
                body(other)), body(other)).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").value(detail ->
                        org.assertj.core.api.Assertions.assertThat((String) detail).contains("window"));
        // a signature for another path
        register(Signer.authorization(key, "POST", "/api/v1/purchases", now(), "n-" + UUID.randomUUID(),
                body(other)), body(other)).expectStatus().isUnauthorized();
        // a nonce that is empty or a timestamp that is not plain unix seconds is no signature
        register(Signer.authorization(key, "POST", "/api/v1/members", now(), "", body(other)), body(other))
                .expectStatus().isUnauthorized();
        register(Signer.authorization(key, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(), body(other))
                .replace("Timestamp=", "Timestamp=+"), body(other)).expectStatus().isUnauthorized();
        // two credentials in one request: refused, not the first taken, whichever kind comes first
        String signedFirst = Signer.authorization(key, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(),
                body(other));
        web.post().uri("/api/v1/members").header(HttpHeaders.AUTHORIZATION, signedFirst)
                .header(HttpHeaders.AUTHORIZATION, "Bearer x")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body(other)).exchange()
                .expectStatus().isUnauthorized();
        web.post().uri("/api/v1/members").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + callers.key(Role.OPERATOR))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body(other)).exchange()
                .expectStatus().isUnauthorized();
        // nothing of the refused requests was written: the openid is still free
        register(Signer.authorization(key, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(), body(other)),
                body(other)).expectStatus().isCreated();
    }

    @Test
    void theWindowFollowsTheEnginesClockAndARevokedCredentialSignsNothing() {
        Credentials.Created created = credentials.create(Role.INTEGRATION, "pos-" + System.nanoTime(), "test").block();
        String key = created.secret();
        String openid = Api.newOpenid();
        long signedAt = now();
        String early = Signer.authorization(key, "POST", "/api/v1/members", signedAt, "n-" + UUID.randomUUID(),
                body(openid));
        clock.advance(java.time.Duration.ofMinutes(6));
        register(early, body(openid)).expectStatus().isUnauthorized();

        credentials.revoke(created.credential().credentialId()).block();
        register(Signer.authorization(key, "POST", "/api/v1/members", now(), "n-" + UUID.randomUUID(), body(openid)),
                body(openid)).expectStatus().isUnauthorized();
        web.get().uri("/api/v1/members/by-openid/" + openid).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .exchange().expectStatus().isUnauthorized();
    }
}
