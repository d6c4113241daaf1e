package io.siyu.engine.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.siyu.engine.access.AccessRefused;
import io.siyu.engine.refusal.Refusal;
import io.siyu.projections.segment.InvalidSegmentException;
import io.siyu.wecom.api.WeComApi;
import io.siyu.wecom.config.WeComProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import reactor.core.publisher.Mono;

/**
 * Every error the API answers is RFC 7807 problem+json with a reason a developer can act on: which field is wrong
 * and why (400), which resource is missing (404), which state refuses the request and with what numbers (409).
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private final WeComProperties weCom;

    ProblemHandling(WeComProperties weCom) {
        this.weCom = weCom;
    }

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    static URI type(String name) {
        return URI.create("urn:siyu:problem:" + name);
    }

    @ExceptionHandler(Refusal.class)
    ProblemDetail refusal(Refusal refusal) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(refusal.status()),
                refusal.getMessage());
        problem.setType(type(refusal.type()));
        refusal.details().forEach(problem::setProperty);
        return problem;
    }

    @ExceptionHandler(AccessRefused.class)
    ResponseEntity<ProblemDetail> accessRefused(AccessRefused refused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(refused.status(), refused.getMessage());
        problem.setType(type(refused.type()));
        refused.details().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(refused.status());
        if (refused.retryAfter() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, refused.retryAfter().toSeconds())));
        }
        return answer.body(problem);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail unknownMember(AggregateNotFoundException notFound) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "There is no member " + notFound.getAggregateIdentifier());
        problem.setType(type("unknown-member"));
        problem.setProperty("memberId", notFound.getAggregateIdentifier());
        return problem;
    }

    /** An id that already names another kind of record (a member's id given as a reward's, say). */
    @ExceptionHandler(org.axonframework.eventsourcing.IncompatibleAggregateException.class)
    ProblemDetail idInUse(org.axonframework.eventsourcing.IncompatibleAggregateException taken) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "This id already names another kind of record (a member, reward or segment): choose another");
        problem.setType(type("id-in-use"));
        return problem;
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrentWrite(ConcurrencyException conflict) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Another write to the same member won the race; retry the request with the same idempotency key");
        problem.setType(type("concurrent-modification"));
        return problem;
    }

    @ExceptionHandler(InvalidFieldException.class)
    ProblemDetail invalidField(InvalidFieldException invalid) {
        return badRequest(invalid.field() + ": " + invalid.getMessage(),
                List.of(Map.of("field", invalid.field(), "reason", invalid.getMessage())));
    }

    @ExceptionHandler(io.siyu.wecom.api.RefusedInput.class)
    ProblemDetail refusedByWeCom(io.siyu.wecom.api.RefusedInput refused) {
        return badRequest(refused.field() + ": " + refused.getMessage(),
                List.of(Map.of("field", refused.field(), "reason", refused.getMessage())));
    }

    @ExceptionHandler(InvalidSegmentException.class)
    ProblemDetail invalidSegment(InvalidSegmentException invalid) {
        List<Map<String, String>> errors = invalid.problems().stream()
                .map(problem -> Map.of("field", problem.field(), "reason", problem.reason())).toList();
        return badRequest(errors.stream().map(error -> error.get("field") + ": " + error.get("reason"))
                .reduce((a, b) -> a + "; " + b).orElse("Invalid segment"), errors);
    }

    /**
     * 202 for a command still queued or running when the edge stopped waiting: not an error and not a refusal. The
     * same request sent again (same idempotency key) reads its outcome.
     */
    @ExceptionHandler(CommandPendingException.class)
    ResponseEntity<Map<String, String>> pending(CommandPendingException pending, ServerWebExchange exchange) {
        String target = exchange.getRequest().getMethod().name() + " " + exchange.getRequest().getPath().value();
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("status", "pending", "retry", target,
                        "detail", "Accepted but not finished yet; it will complete or be refused on its own. Send the "
                                + "same request again (same idempotency key) to read its outcome"));
    }

    /** The command bus refused the command (its queue is full): nothing was written. */
    @ExceptionHandler({RejectedExecutionException.class, TimeoutException.class})
    ResponseEntity<ProblemDetail> overloaded(Exception overload) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The engine is busy and took nothing; retry the request with the same idempotency key");
        problem.setType(type("overloaded"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    /** WeCom refused or could not be reached while a request waited for it: Siyu recorded nothing. */
    @ExceptionHandler({WxErrorException.class, WxRuntimeException.class})
    ResponseEntity<ProblemDetail> weComFailed(Exception failure) {
        if (!weCom.apiConfigured()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "WeCom is not configured on this engine (siyu.wecom.corp-id and .secret)");
            problem.setType(type("wecom-not-configured"));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
        }
        Integer errcode = WeComApi.errcode(failure);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, errcode == null
                ? "WeCom could not be reached, or its answer was lost; Siyu recorded nothing, retry the request"
                : "WeCom refused the call (errcode " + errcode + "); nothing was changed");
        problem.setType(type("wecom-unavailable"));
        if (errcode != null) {
            problem.setProperty("errcode", errcode);
        }
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception error) {
        log.error("Unexpected error", error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; nothing was changed unless the request is retried with its idempotency key");
        problem.setType(type("internal"));
        return problem;
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException invalid,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<Map<String, String>> errors = invalid.getFieldErrors().stream()
                .map(ProblemHandling::fieldError)
                .toList();
        String detail = errors.stream().map(error -> error.get("field") + ": " + error.get("reason"))
                .sorted().reduce((a, b) -> a + "; " + b).orElse("Invalid request");
        return Mono.just(ResponseEntity.badRequest().body(badRequest(detail, errors)));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException invalid,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        Throwable cause = invalid;
        while (cause != null) {
            if (cause instanceof DataBufferLimitException) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE,
                        "The request body is larger than this API accepts");
                problem.setType(type("payload-too-large"));
                return Mono.just(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem));
            }
            if (cause instanceof JsonParseException) {
                return Mono.just(ResponseEntity.badRequest().body(badRequest("The body is not valid JSON",
                        List.of(Map.of("field", "", "reason", "malformed JSON")))));
            }
            if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                String field = fieldPath(mapping);
                String reason = "has the wrong type or format";
                return Mono.just(ResponseEntity.badRequest().body(badRequest(field + ": " + reason,
                        List.of(Map.of("field", field, "reason", reason)))));
            }
            if (cause instanceof DecodingException && cause.getCause() == null) {
                break;
            }
            cause = cause.getCause();
        }
        String reason = invalid.getReason() == null ? "Invalid request" : invalid.getReason();
        String field = field(invalid);
        return Mono.just(ResponseEntity.badRequest().body(badRequest(field + ": " + reason,
                List.of(Map.of("field", field, "reason", reason)))));
    }

    /** The query parameter, header or body a refused input is about: what a developer has to change. */
    private static String field(ServerWebInputException invalid) {
        if (invalid instanceof MissingRequestValueException missing) {
            return missing.getName();
        }
        if (invalid.getCause() instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
            return mismatch.getPropertyName();
        }
        if (invalid.getMethodParameter() != null) {
            var parameter = invalid.getMethodParameter();
            if (parameter.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
                return "body";
            }
            String name = parameter.getParameterName();
            return name == null ? "request" : name;
        }
        return "request";
    }

    /**
     * Errors Spring answers itself (415 without a content type, 405, 404 for no such route, 406, …) come as
     * {@code about:blank} problems: give each a Siyu problem type named after its status, so every error a caller
     * sees is ours.
     */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                                  HttpStatusCode status, ServerWebExchange exchange) {
        Object problemBody = body == null && ex instanceof org.springframework.web.ErrorResponse error
                ? error.getBody() : body;
        if (problemBody instanceof ProblemDetail problem && (problem.getType() == null
                || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(type(statusName(status)));
        }
        return super.handleExceptionInternal(ex, problemBody, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(MissingRequestValueException missing,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return handleServerWebInputException(missing, headers, status, exchange);
    }

    static String statusName(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value()
                : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static ProblemDetail badRequest(String detail, List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(type("invalid-request"));
        problem.setProperty("errors", errors);
        return problem;
    }

    private static Map<String, String> fieldError(FieldError error) {
        String reason = error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
        return Map.of("field", error.getField(), "reason", reason);
    }

    private static String fieldPath(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
