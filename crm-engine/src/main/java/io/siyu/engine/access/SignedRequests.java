package io.siyu.engine.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.server.ServerWebExchange;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Requests an integration signs with its credential's secret:
 * <pre>Authorization: SIYU-HMAC-SHA256 Credential=&lt;credentialId&gt;, Timestamp=&lt;unix seconds&gt;,
 *     Nonce=&lt;unique string&gt;, Signature=&lt;base64 HMAC-SHA256&gt;</pre>
 * over the lines {@code METHOD}, {@code path?query}, {@code timestamp}, {@code nonce} and the hex SHA-256 of the body
 * (of nothing when there is none), joined with {@code \n}; the path and query are the raw, percent-encoded text as
 * sent. A nonce is 8 to 64 of {@code A-Z a-z 0-9 _ . : -}; the timestamp is decimal unix seconds. The timestamp must lie within
 * {@code siyu.access.signature-window} of the engine's clock, and a nonce is accepted once per credential (remembered
 * for the window, in {@code request_nonces}).
 */
public final class SignedRequests {

    public static final String SCHEME = "SIYU-HMAC-SHA256";
    static final String NONCES = "request_nonces";
    private static final String BODY_DIGEST = SignedRequests.class.getName() + ".bodyDigest";
    private static final int MAX_BODY = 64 * 1024;
    private static final java.util.regex.Pattern NONCE = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{8,64}");
    private static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile("[1-9][0-9]{0,11}");

    private final Credentials credentials;
    private final MongoCollection<Document> nonces;
    private final Clock clock;
    private final Duration window;

    public SignedRequests(Credentials credentials, MongoDatabase database, Clock clock, Duration window) {
        this.credentials = credentials;
        this.nonces = database.getCollection(NONCES);
        this.clock = clock;
        this.window = window;
        // a real MongoDB forgets nonces once they are past the window; the embedded server keeps them
        Mono.from(nonces.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L,
                java.util.concurrent.TimeUnit.SECONDS))).onErrorComplete().block();
    }

    /** A signed request, read from its headers, with the digest of the body it carried. */
    record Signed(String credentialId, String timestamp, String nonce, String signature, String stringToSign) {
    }

    static boolean isSigned(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.startsWith(SCHEME + " ");
    }

    /**
     * Reads a signed request's body (at most 64 KiB) and hashes it, then hands the same bytes on to the handler.
     * Bodies are buffered only for requests that carry a signature.
     */
    static Mono<ServerWebExchange> withBodyDigest(ServerWebExchange exchange) {
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .map(bytes -> {
                    ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return bytes.length == 0 ? Flux.empty()
                                    : Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    ServerWebExchange mutated = exchange.mutate().request(request).build();
                    mutated.getAttributes().put(BODY_DIGEST,
                            HexFormat.of().formatHex(Credentials.sha256Bytes(bytes)));
                    return mutated;
                });
    }

    static Optional<Signed> read(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String digest = exchange.getAttribute(BODY_DIGEST);
        if (authorization == null || digest == null) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String part : authorization.substring(SCHEME.length()).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parameters.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        String credentialId = parameters.get("Credential");
        String timestamp = parameters.get("Timestamp");
        String nonce = parameters.get("Nonce");
        String signature = parameters.get("Signature");
        if (credentialId == null || timestamp == null || nonce == null || signature == null
                || !NONCE.matcher(nonce).matches() || !TIMESTAMP.matcher(timestamp).matches()) {
            return Optional.empty();
        }
        ServerHttpRequest request = exchange.getRequest();
        String target = request.getURI().getRawPath()
                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        return Optional.of(new Signed(credentialId, timestamp, nonce, signature,
                stringToSign(request.getMethod().name(), target, timestamp, nonce, digest)));
    }

    /** The text a request's signature covers. */
    public static String stringToSign(String method, String pathAndQuery, String timestamp, String nonce,
                                      String bodySha256Hex) {
        return String.join("\n", method, pathAndQuery, timestamp, nonce, bodySha256Hex);
    }

    /** The caller a signed request proves; a {@link BadCredentialsException} saying why it does not. */
    Mono<Caller> verify(Signed signed) {
        Instant now = clock.instant();
        Instant at;
        try {
            at = Instant.ofEpochSecond(Long.parseLong(signed.timestamp()));
        } catch (NumberFormatException | java.time.DateTimeException malformed) {
            return Mono.error(new BadCredentialsException("Timestamp must be unix seconds"));
        }
        if (Duration.between(at, now).abs().compareTo(window) > 0) {
            return Mono.error(new BadCredentialsException("the signature's timestamp is outside the "
                    + window.toMinutes() + "-minute window"));
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signed.signature());
        } catch (IllegalArgumentException malformed) {
            return Mono.error(new BadCredentialsException("Signature must be base64"));
        }
        return credentials.live(signed.credentialId())
                .filter(credential -> java.security.MessageDigest.isEqual(presented,
                        credentials.sign(credential.credentialId(), signed.stringToSign())))
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("the signature does not match")))
                .flatMap(credential -> Mono.from(nonces.insertOne(new Document("_id",
                                credential.credentialId() + ":" + signed.nonce())
                                .append("expiresAt", Date.from(now.plus(window).plus(window)))))
                        .onErrorMap(SignedRequests::isDuplicateKey,
                                duplicate -> new BadCredentialsException("the nonce was used before"))
                        .thenReturn(Credentials.caller(credential)));
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
