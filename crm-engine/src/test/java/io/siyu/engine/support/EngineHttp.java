package io.siyu.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON calls over HTTP to an engine a test started itself (its own JVM or its own context, where no
 * {@code WebTestClient} is bound): a credential, a method and path, a body or none; expects a 2xx and answers the JSON.
 */
public final class EngineHttp {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    public EngineHttp(int port) {
        this.port = port;
    }

    /** @return the answer's JSON; fails the test on any status outside 2xx, showing the answer */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, String path, String credential, Object body) throws Exception {
        HttpResponse<String> response = send(method, path, credential, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return json.readValue(response.body(), Map.class);
    }

    /** @return the raw answer, whatever its status */
    public HttpResponse<String> send(String method, String path, String credential, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", credential).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
