package io.siyu.engine.points.rules.web;

import io.siyu.engine.access.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.rules.EarningRules;
import io.siyu.api.rules.PublishEarningRules;
import io.siyu.api.rules.RulesPublication;
import io.siyu.engine.points.rules.EarningRuleCatalog;
import io.siyu.engine.points.rules.EarningRuleSet;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.Ids;
import io.siyu.engine.web.InvalidFieldException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Publishing earning rules (an admin's job) and reading every version that was ever in effect. */
@RestController
@RequestMapping("/api/v1/admin/earning-rules")
class EarningRulesController {

    private final CommandDispatch dispatch;
    private final EarningRuleCatalog catalog;
    private final Clock clock;

    EarningRulesController(CommandDispatch dispatch, EarningRuleCatalog catalog, Clock clock) {
        this.dispatch = dispatch;
        this.catalog = catalog;
        this.clock = clock;
    }

    record PublishRequest(@NotNull @Positive @Max(1_000_000) Integer version,
                          @NotNull OffsetDateTime effectiveFrom,
                          @NotNull EarningRules rules,
                          /** ignored: the actor recorded is the caller's credential */
                          @Size(max = 200) String actor) {
    }

    record PublishResponse(int version, Instant effectiveFrom, boolean duplicate) {
    }

    record Version(int version, Instant effectiveFrom, EarningRules rules) {
    }

    @PostMapping
    Mono<ResponseEntity<PublishResponse>> publish(@Valid @RequestBody PublishRequest request,
                                                  @AuthenticationPrincipal Caller caller) {
        Map<String, String> problems = EarningRuleSet.problems(request.rules());
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new InvalidFieldException(first.getKey(), first.getValue());
        }
        Instant effectiveFrom = request.effectiveFrom().toInstant();
        if (effectiveFrom.isBefore(clock.instant())) {
            throw new InvalidFieldException("effectiveFrom", "lies in the past: rules cannot be back-dated");
        }
        return dispatch.<RulesPublication>send(new PublishEarningRules(PublishEarningRules.RULE_BOOK,
                        request.version(), effectiveFrom, request.rules(), caller.actor()))
                .map(result -> ResponseEntity.status(result.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
                        .body(new PublishResponse(result.version(), effectiveFrom, result.duplicate())));
    }

    @GetMapping
    List<Version> versions() {
        return catalog.all().stream()
                .map(set -> new Version(set.version(), set.version() == 0 ? null : set.effectiveFrom(), set.rules()))
                .toList();
    }
}
