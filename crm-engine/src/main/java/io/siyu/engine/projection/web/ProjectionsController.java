package io.siyu.engine.projection.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.projection.ProjectionRebuilds;
import io.siyu.engine.refusal.Refusal;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Rebuild a projection from the events while the old read model keeps answering; watch its progress. */
@RestController
@RequestMapping("/api/v1/admin/projections")
class ProjectionsController {

    private final ProjectionRebuilds rebuilds;

    ProjectionsController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @GetMapping
    List<ProjectionRebuilds.Progress> all() {
        return rebuilds.all();
    }

    @PostMapping("/{projection}/rebuild")
    Mono<ResponseEntity<ProjectionRebuilds.Progress>> rebuild(@PathVariable String projection) {
        return Mono.fromCallable(() -> rebuilds.start(projection).orElseThrow(() ->
                        new UnknownProjectionException(projection)))
                .subscribeOn(Schedulers.boundedElastic())
                .map(progress -> ResponseEntity.status(HttpStatus.ACCEPTED).body(progress));
    }

    @GetMapping("/{projection}/rebuild")
    ProjectionRebuilds.Progress progress(@PathVariable String projection) {
        return rebuilds.progress(projection).orElseThrow(() -> new UnknownProjectionException(projection));
    }

    static final class UnknownProjectionException extends Refusal {
        UnknownProjectionException(String projection) {
            super("unknown-projection", true, "There is no rebuildable projection " + projection,
                    Map.of("projection", projection));
        }
    }
}
