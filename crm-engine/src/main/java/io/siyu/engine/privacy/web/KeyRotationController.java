package io.siyu.engine.privacy.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.privacy.KeyRotation;
import io.siyu.engine.privacy.UnknownRotationException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Master key rotation (operator): {@code POST /api/v1/admin/privacy/key-rotations} starts a run that re-wraps every
 * member's data key under the current master key (202, the run); {@code GET …/{rotationId}} follows it
 * ({@code state} running, done or failed; {@code read}, {@code rewrapped}); 404 {@code unknown-key-rotation} for a run it does
 * not know.
 */
@RestController
class KeyRotationController {

    private final KeyRotation rotation;

    KeyRotationController(KeyRotation rotation) {
        this.rotation = rotation;
    }

    @PostMapping("/api/v1/admin/privacy/key-rotations")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<KeyRotation.Run> start() {
        return Mono.fromCallable(rotation::start).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/admin/privacy/key-rotations/{rotationId}")
    Mono<KeyRotation.Run> run(@PathVariable String rotationId) {
        return Mono.fromCallable(() -> rotation.find(rotationId)
                        .orElseThrow(() -> new UnknownRotationException(rotationId)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
