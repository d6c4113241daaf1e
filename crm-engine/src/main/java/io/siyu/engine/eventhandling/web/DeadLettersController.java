package io.siyu.engine.eventhandling.web;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.eventhandling.DeadLetters;
import io.siyu.engine.refusal.Refusal;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Events a processing group could not handle, and bridge work given up (operators). {@code GET} answers
 * {@code {"groups":[{group, letters, sequences, first}], "work":[{group, letters, first}]}}: each processing group's
 * counts and first letters (no payloads), and each kind of bridge work ({@code wecom-translation},
 * {@code wecom-outbox}) with its dead entries; {@code POST /{group}/retry} hands a group's dead-lettered sequences to
 * its handlers again, or puts a kind of bridge work's dead entries back to work ({@code sequencesCleared} = entries).
 * 404 {@code unknown-processing-group} for a name that is neither.
 */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
class DeadLettersController {

    private final DeadLetters deadLetters;

    DeadLettersController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    Mono<Map<String, List<?>>> all() {
        return Mono.fromCallable(() -> Map.<String, List<?>>of("groups", deadLetters.all(), "work", deadLetters.work()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/{group}/retry")
    Mono<DeadLetters.RetryResult> retry(@PathVariable String group) {
        return Mono.fromCallable(() -> deadLetters.retry(group).orElseThrow(() -> new UnknownGroupException(group)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    static final class UnknownGroupException extends Refusal {
        UnknownGroupException(String group) {
            super("unknown-processing-group", true, "There is no processing group " + group
                    + " with a dead-letter queue", Map.of("group", group));
        }
    }
}
