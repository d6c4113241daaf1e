package io.siyu.wecom.reconcile.web;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.reconcile.Reconciliation;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * For operators: WeCom reconciliation on demand and its progress. {@code POST} starts a run (202 with the run) or
 * answers the one already running (200, {@code alreadyRunning: true}); {@code GET} lists the latest runs;
 * {@code GET /{runId}} one run: {@code state} ({@code running}, {@code done}, {@code failed}), {@code phase}
 * ({@code contacts}, {@code groups}, {@code done}), {@code staffDone}/{@code staffTotal}, {@code relationshipsSeen},
 * {@code groupsSeen},
 * {@code recorded} (facts Siyu was missing), {@code notMembers} (people WeCom lists who are no members) and
 * {@code lastError}. 404 {@code unknown-reconciliation}; 409 {@code reconciliation-disabled} when
 * {@code siyu.wecom.reconciliation.enabled} is off or WeCom's API is not configured.
 */
@RestController
@RequestMapping("/api/v1/admin/wecom/reconciliations")
class ReconciliationController {

    private final Reconciliation reconciliation;

    ReconciliationController(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    record StartedView(Reconciliation.Run run, boolean alreadyRunning) {
    }

    @PostMapping
    Mono<ResponseEntity<StartedView>> start() {
        return Mono.fromCallable(() -> reconciliation.start("operator"))
                .map(started -> ResponseEntity.status(started.alreadyRunning() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                        .body(new StartedView(started.run(), started.alreadyRunning())))
                .subscribeOn(Schedulers.boundedElastic());
    }

    record Runs(List<Reconciliation.Run> runs) {
    }

    @GetMapping
    Mono<Runs> recent() {
        return Mono.fromCallable(() -> new Runs(reconciliation.recent(20))).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/{runId}")
    Mono<Reconciliation.Run> find(@PathVariable String runId) {
        return Mono.fromCallable(() -> reconciliation.find(runId).orElseThrow(() -> new UnknownRun(runId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @ExceptionHandler(Reconciliation.NotRunning.class)
    ResponseEntity<ProblemDetail> notRunning(Reconciliation.NotRunning refused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, refused.getMessage());
        problem.setType(URI.create("urn:siyu:problem:reconciliation-disabled"));
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(UnknownRun.class)
    ResponseEntity<ProblemDetail> unknown(UnknownRun unknown) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, unknown.getMessage());
        problem.setType(URI.create("urn:siyu:problem:unknown-reconciliation"));
        problem.setProperty("runId", unknown.runId);
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    static final class UnknownRun extends RuntimeException {
        private final String runId;

        UnknownRun(String runId) {
            super("There is no WeCom reconciliation " + runId, null, false, false);
            this.runId = runId;
        }
    }
}
