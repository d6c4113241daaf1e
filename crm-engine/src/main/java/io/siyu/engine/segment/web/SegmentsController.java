package io.siyu.engine.segment.web;

import io.siyu.engine.access.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.siyu.api.segment.DefineSegment;
import io.siyu.engine.segment.UnknownSegmentException;
import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.tier.config.TierProperties;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.MemberIndex;
import io.siyu.projections.segment.SegmentCatalog;
import io.siyu.projections.segment.SegmentCriteria;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Segments for marketers: preview a definition's count while building it, save it (it then stays live: entries and
 * exits are recorded on the members' streams), read its definition and live count, and page through its members.
 * Counts and pages are evaluated over the in-memory member index at the moment of the request.
 */
@RestController
@RequestMapping("/api/v1/segments")
class SegmentsController {

    private final CommandDispatch dispatch;
    private final SegmentCatalog catalog;
    private final MemberIndex index;
    private final Clock clock;
    private final Set<String> tiers;
    private final ZoneId zone;

    SegmentsController(CommandDispatch dispatch, SegmentCatalog catalog, MemberIndex index, Clock clock,
                       TierProperties tierProperties, SystemProperties system) {
        this.zone = system.businessZone();
        this.dispatch = dispatch;
        this.catalog = catalog;
        this.index = index;
        this.clock = clock;
        this.tiers = tierProperties.codes();
    }

    record PreviewRequest(@NotNull JsonNode criteria) {
    }

    record Count(long count, long members, Instant evaluatedAt) {
    }

    @PostMapping("/preview")
    Mono<Count> preview(@Valid @RequestBody PreviewRequest request) {
        Criterion criterion = SegmentCriteria.parse(request.criteria(), "criteria", tiers);
        return Mono.fromCallable(() -> count(criterion)).subscribeOn(Schedulers.boundedElastic());
    }

    record SaveRequest(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+",
                               message = "must be letters, digits, _ and -") String segmentId,
                       @NotBlank @Size(max = 128) String name,
                       @NotNull JsonNode criteria,
                       @Size(max = 64) String actor) {
    }

    record SegmentView(String segmentId, String name, JsonNode criteria, String actor, Instant definedAt,
                       long count, long recorded, Instant evaluatedAt, String weComTagId,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Boolean duplicate) {
    }

    @PostMapping
    Mono<ResponseEntity<SegmentView>> save(@Valid @RequestBody SaveRequest request,
                                           @AuthenticationPrincipal Caller caller) {
        Criterion criterion = SegmentCriteria.parse(request.criteria(), "criteria", tiers);
        return dispatch.<Boolean>send(new DefineSegment(request.segmentId(), request.name(),
                        request.criteria().toString(), caller.actor()))
                .flatMap(created -> catalog.find(request.segmentId())
                        .repeatWhenEmpty(repeats -> repeats.take(50).delayElements(Duration.ofMillis(100)))
                        .flatMap(saved -> view(saved, criterion, !created))
                        .map(view -> ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(view))
                        // saved, but the catalogue has not caught up (being rebuilt, or its store refusing
                        // writes): say so; the repeat completes empty when it gives up (a maximum would throw)
                        .switchIfEmpty(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                                .body(new SegmentView(request.segmentId(), request.name(), request.criteria(),
                                        caller.actor(), null, count(criterion).count(), 0,
                                        clock.instant(), null, !created)))));
    }

    /** Every saved segment with its live {@code count}, oldest first (a marketer's catalogue: tens, not millions). */
    @GetMapping
    Mono<List<SegmentView>> all() {
        return Mono.fromCallable(catalog::all).subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(reactor.core.publisher.Flux::fromIterable)
                .sort(java.util.Comparator.comparing(SegmentCatalog.SavedSegment::definedAt))
                .concatMap(saved -> view(saved, criterion(saved), null))
                .collectList();
    }

    @GetMapping("/{segmentId}")
    Mono<SegmentView> find(@PathVariable String segmentId) {
        return saved(segmentId).flatMap(saved -> view(saved, criterion(saved), null));
    }

    /**
     * A page of a segment's members who consent to marketing ({@code listed} of them); {@code count} is everyone in the
     * segment (aggregate counts need no consent: PIPL Art. 13, a member list for a campaign does).
     */
    record MemberPage(String segmentId, long count, long listed, List<String> members, String nextAfter) {
    }

    /** The purpose a member list is for: members who have not granted it are left out of every list. */
    static final String LIST_PURPOSE = "marketing";

    @GetMapping("/{segmentId}/members")
    Mono<MemberPage> members(@PathVariable String segmentId,
                             @RequestParam(required = false) String after,
                             @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidFieldException("limit", "must be between 1 and 1000");
        }
        return saved(segmentId).flatMap(saved -> Mono.fromCallable(() -> {
            java.time.Instant now = clock.instant();
            long everyone = index.select(criterion(saved), now).cardinality();
            BitSet listed = index.select(new Criterion.And(List.of(criterion(saved),
                    new Criterion.Consents(LIST_PURPOSE))), now);
            List<String> page = index.page(listed, after, limit);
            return new MemberPage(segmentId, everyone, listed.cardinality(), page,
                    page.size() < limit ? null : page.get(page.size() - 1));
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    record Growth(String segmentId, List<MemberIndex.GrowthDay> days) {
    }

    /** Entries and exits recorded per business day, and the recorded membership at the end of each day. */
    @GetMapping("/{segmentId}/growth")
    Mono<Growth> growth(@PathVariable String segmentId,
                        @RequestParam(required = false) LocalDate from,
                        @RequestParam(required = false) LocalDate to) {
        LocalDate last = to == null ? LocalDate.ofInstant(clock.instant(), zone) : to;
        LocalDate first = from == null ? last.minusDays(29) : from;
        if (first.isAfter(last)) {
            throw new InvalidFieldException("from", "is after to");
        }
        if (ChronoUnit.DAYS.between(first, last) > 366) {
            throw new InvalidFieldException("from", "spans more than 366 days to to");
        }
        return saved(segmentId).map(saved -> new Growth(segmentId, index.growth(segmentId, first, last)));
    }

    private Mono<SegmentCatalog.SavedSegment> saved(String segmentId) {
        return catalog.find(segmentId).switchIfEmpty(Mono.error(() -> new UnknownSegmentException(segmentId)));
    }

    private Mono<SegmentView> view(SegmentCatalog.SavedSegment saved, Criterion criterion, Boolean duplicate) {
        return Mono.fromCallable(() -> {
            Count count = count(criterion);
            return new SegmentView(saved.segmentId(), saved.name(), Json.read(saved.criteria()), saved.actor(),
                    saved.definedAt(), count.count(), index.recorded(saved.segmentId()).cardinality(),
                    count.evaluatedAt(), saved.weComTagId(), duplicate);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Criterion criterion(SegmentCatalog.SavedSegment saved) {
        return SegmentCriteria.parse(Json.read(saved.criteria()), "criteria", tiers);
    }

    private Count count(Criterion criterion) {
        Instant now = clock.instant();
        return new Count(index.select(criterion, now).cardinality(), index.size(), now);
    }

    private static final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        static JsonNode read(String json) {
            try {
                return MAPPER.readTree(json);
            } catch (IOException unreadable) {
                throw new IllegalStateException("stored criteria do not parse", unreadable);
            }
        }
    }
}
