package io.siyu.engine.access;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A request refused for who is asking rather than for what is asked: answered as problem+json with {@code status}
 * and {@code urn:siyu:problem:<type>}; {@code retryAfter} (429) becomes a {@code Retry-After} header.
 */
public final class AccessRefused extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final Map<String, Object> details;
    private final Duration retryAfter;

    public AccessRefused(HttpStatus status, String type, String message, Map<String, Object> details,
                         Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.details = Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static AccessRefused unauthenticated(String type, String message) {
        return new AccessRefused(HttpStatus.UNAUTHORIZED, type, message, Map.of(), null);
    }

    public static AccessRefused forbidden(String type, String message, Map<String, Object> details) {
        return new AccessRefused(HttpStatus.FORBIDDEN, type, message, details, null);
    }

    public static AccessRefused conflict(String type, String message, Map<String, Object> details) {
        return new AccessRefused(HttpStatus.CONFLICT, type, message, details, null);
    }

    public static AccessRefused notFound(String type, String message, Map<String, Object> details) {
        return new AccessRefused(HttpStatus.NOT_FOUND, type, message, details, null);
    }

    public static AccessRefused tooMany(String what, Duration retryAfter) {
        return new AccessRefused(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many " + what
                + "; retry after " + Math.max(1, retryAfter.toSeconds()) + " s", Map.of(), retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
