package io.siyu.engine.access;

import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.fasterxml.jackson.databind.ObjectMapper;

import reactor.core.publisher.Mono;

/**
 * Limits on a request's head, answered as problem+json before anything else reads the request: a path and query
 * longer than {@value #MAX_URI_CHARS} characters → 414 {@code uri-too-long}; headers of more than
 * {@value #MAX_HEADER_BYTES} bytes in all → 431 {@code headers-too-large}. Netty's own limit
 * ({@code server.max-http-request-header-size}, which also bounds the request line; 64 KiB here) sits well above,
 * because Netty answers a head over it with an empty 414 or 431 that no caller can act on.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestHeadLimits implements WebFilter {

    /** Longest path and query (characters, as sent) the API accepts. */
    static final int MAX_URI_CHARS = 8 * 1024;
    /** Most header bytes (names, values and separators) the API accepts. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final AccessProblems problems;

    RequestHeadLimits(ObjectMapper json) {
        this.problems = new AccessProblems(json);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getURI().getRawPath();
        String query = exchange.getRequest().getURI().getRawQuery();
        int length = (path == null ? 0 : path.length()) + (query == null ? 0 : query.length() + 1);
        if (length > MAX_URI_CHARS) {
            return problems.write(exchange, HttpStatus.URI_TOO_LONG, "uri-too-long",
                    "The path and query are " + length + " characters; this API accepts up to " + MAX_URI_CHARS,
                    Map.of("maxLength", MAX_URI_CHARS));
        }
        long headerBytes = 0;
        for (Map.Entry<String, List<String>> header : exchange.getRequest().getHeaders().entrySet()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            return problems.write(exchange, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                    "The headers are " + headerBytes + " bytes; this API accepts up to " + MAX_HEADER_BYTES,
                    Map.of("maxBytes", MAX_HEADER_BYTES));
        }
        return chain.filter(exchange);
    }
}
