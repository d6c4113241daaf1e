package io.siyu.engine.access;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import reactor.core.publisher.Mono;

/** Refusals at the door, as problem+json like every other error: 401 who are you, 403 not you, 429 slow down. */
final class AccessProblems {

    private final ObjectMapper json;

    AccessProblems(ObjectMapper json) {
        this.json = json;
    }

    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String detail,
                     Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:siyu:problem:" + type));
        try {
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        } catch (IllegalArgumentException notAUri) {
            // a path the firewall refused may not even be a URI: the problem is answered without it
        }
        properties.forEach(problem::setProperty);
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException impossible) {
            body = detail.getBytes(StandardCharsets.UTF_8);
        }
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"siyu\"");
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    Mono<Void> unauthenticated(ServerWebExchange exchange, String why) {
        return write(exchange, HttpStatus.UNAUTHORIZED, "unauthenticated", why, Map.of());
    }

    Mono<Void> forbidden(ServerWebExchange exchange) {
        return write(exchange, HttpStatus.FORBIDDEN, "forbidden",
                "Your credential does not allow this request", Map.of());
    }
}
