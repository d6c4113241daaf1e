package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.siyu.engine.support.EngineTest;

/** Paths the security firewall refuses before routing answer problem+json, not an empty 400. */
@EngineTest
class FirewallProblemTest {

    @LocalServerPort
    int port;

    @Test
    void aPathTheFirewallRefusesIsAProblem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/api/v1/admin/dead-letters/..%2F..%2Fetc/retry",
                "/api/v1/admin/dead-letters/%2e%2e/retry", "/api/v1/admin/dead-letters/a;b=c/retry")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(400);
            assertThat(answer.headers().firstValue("content-type")).as(path).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.body()).as(path).contains("\"type\":\"urn:siyu:problem:bad-request\"");
        }
    }
}
