package io.siyu.wecom.contactway.web;

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

import io.siyu.wecom.contactway.ContactWays;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * "Contact me" QR codes for campaigns and stores ({@code add_contact_way}): the {@code state} names the campaign or
 * store, and contacts added through the code are attributed to it. 201 when made, 200 with the same code when asked
 * again, 409 when the state names a code for other staff.
 */
@RestController
@RequestMapping("/api/v1/wecom/contact-ways")
class ContactWayController {

    private final ContactWays ways;

    ContactWayController(ContactWays ways) {
        this.ways = ways;
    }

    record CreateRequest(@NotBlank @Size(max = 30, message = "must be at most 30 characters (WeCom's limit)")
                         @Pattern(regexp = "[A-Za-z0-9_.:-]*", message = "must be letters, digits, _ . : and -")
                         String state,
                         @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 64) String> staffUserIds,
                         @Size(max = 30, message = "must be at most 30 characters (WeCom's limit)") String remark,
                         Boolean skipVerify) {
    }

    @PostMapping
    Mono<ResponseEntity<ContactWays.ContactWay>> create(@Valid @RequestBody CreateRequest request) {
        List<String> staff = request.staffUserIds().stream().distinct().toList();
        return Mono.fromCallable(() -> ways.create(request.state(), staff, request.remark(),
                        request.skipVerify() == null || request.skipVerify()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(outcome -> ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(outcome.way()));
    }

    @GetMapping("/{state}")
    Mono<ResponseEntity<ContactWays.ContactWay>> find(@PathVariable String state) {
        return Mono.fromCallable(() -> ways.find(state)).subscribeOn(Schedulers.boundedElastic())
                .map(found -> found.map(ResponseEntity::ok).orElseThrow(() -> new NoSuchContactWay(state)));
    }

    @ExceptionHandler(ContactWays.StateTaken.class)
    ResponseEntity<ProblemDetail> taken(ContactWays.StateTaken taken) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, taken.getMessage());
        problem.setType(URI.create("urn:siyu:problem:contact-way-state-taken"));
        taken.existing().ifPresent(existing -> problem.setProperty("staffUserIds", existing.staffUserIds()));
        // still being made by another request after a wait: worth asking again in a moment
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .headers(headers -> taken.existing().ifPresentOrElse(existing -> { },
                        () -> headers.set(org.springframework.http.HttpHeaders.RETRY_AFTER, "1")))
                .body(problem);
    }

    @ExceptionHandler(NoSuchContactWay.class)
    ResponseEntity<ProblemDetail> unknown(NoSuchContactWay unknown) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, unknown.getMessage());
        problem.setType(URI.create("urn:siyu:problem:unknown-contact-way"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    static final class NoSuchContactWay extends RuntimeException {
        NoSuchContactWay(String state) {
            super("There is no contact way for state " + state, null, false, false);
        }
    }
}
