package io.siyu.wecom.joinway.web;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.joinway.JoinWays;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Customer-group join ways for campaigns ({@code groupchat/add_join_way}): {@code scene} {@code qr_code} (a group QR
 * code; the default) or {@code mini_program} (a plugin button), for one to five groups, with a {@code state} naming
 * the campaign; joins through it are attributed to the state. 201 when made, 200 with the same way when asked again,
 * 409 {@code join-way-state-taken} when the state names a way for other groups or scene.
 */
@RestController
@RequestMapping("/api/v1/wecom/join-ways")
class JoinWayController {

    private final JoinWays ways;

    JoinWayController(JoinWays ways) {
        this.ways = ways;
    }

    record CreateRequest(@NotBlank @Size(max = 30, message = "must be at most 30 characters (WeCom's limit)")
                         @Pattern(regexp = "[A-Za-z0-9_.:-]*", message = "must be letters, digits, _ . : and -")
                         String state,
                         @Pattern(regexp = "qr_code|mini_program", message = "must be qr_code or mini_program")
                         String scene,
                         @NotEmpty @Size(max = 5, message = "must name one to five groups (WeCom's limit)")
                         List<@NotBlank @Size(max = 64) String> chatIds,
                         @Size(max = 30, message = "must be at most 30 characters (WeCom's limit)") String remark,
                         Boolean autoCreateRoom,
                         @Size(max = 40, message = "must be at most 40 characters (WeCom's limit)")
                         String roomBaseName,
                         @Min(1) @Max(1_000_000) Integer roomBaseId) {
    }

    @PostMapping
    Mono<ResponseEntity<JoinWays.JoinWay>> create(@Valid @RequestBody CreateRequest request) {
        List<String> chats = request.chatIds().stream().distinct().toList();
        boolean autoCreate = Boolean.TRUE.equals(request.autoCreateRoom());
        JoinWays.Request asked = new JoinWays.Request(request.state(),
                "mini_program".equals(request.scene()) ? JoinWays.MINI_PROGRAM : JoinWays.QR_CODE, chats,
                request.remark(), autoCreate, request.roomBaseName(), request.roomBaseId());
        return Mono.fromCallable(() -> ways.create(asked))
                .subscribeOn(Schedulers.boundedElastic())
                .map(outcome -> ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(outcome.way()));
    }

    @GetMapping("/{state}")
    Mono<ResponseEntity<JoinWays.JoinWay>> find(@PathVariable String state) {
        return Mono.fromCallable(() -> ways.find(state)).subscribeOn(Schedulers.boundedElastic())
                .map(found -> found.map(ResponseEntity::ok).orElseThrow(() -> new NoSuchJoinWay(state)));
    }

    @ExceptionHandler(JoinWays.StateTaken.class)
    ResponseEntity<ProblemDetail> taken(JoinWays.StateTaken taken) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, taken.getMessage());
        problem.setType(URI.create("urn:siyu:problem:join-way-state-taken"));
        taken.existing().ifPresent(existing -> problem.setProperty("chatIds", existing.chatIds()));
        // still being made by another request after a wait: worth asking again in a moment
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .headers(headers -> taken.existing().ifPresentOrElse(existing -> { },
                        () -> headers.set(org.springframework.http.HttpHeaders.RETRY_AFTER, "1")))
                .body(problem);
    }

    @ExceptionHandler(NoSuchJoinWay.class)
    ResponseEntity<ProblemDetail> unknown(NoSuchJoinWay unknown) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, unknown.getMessage());
        problem.setType(URI.create("urn:siyu:problem:unknown-join-way"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    static final class NoSuchJoinWay extends RuntimeException {
        NoSuchJoinWay(String state) {
            super("There is no join way for state " + state, null, false, false);
        }
    }
}
