package io.siyu.engine.segment.web;

import io.siyu.engine.access.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.segment.BindSegmentToWeComTag;
import io.siyu.api.segment.UnbindSegmentFromWeComTag;
import io.siyu.engine.segment.UnknownSegmentException;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.projections.segment.SegmentCatalog;
import io.siyu.wecom.tags.CorpTags;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Binds a saved segment to a WeCom corp tag, so its members are tagged on every staff member's contact entry of them
 * while they are in it (the bridge's tag sync does the tagging through its outbox). The tag must exist in WeCom.
 */
@RestController
@RequestMapping("/api/v1/segments/{segmentId}/wecom-tag")
class SegmentTagController {

    private final CommandDispatch dispatch;
    private final SegmentCatalog catalog;
    private final CorpTags tags;

    SegmentTagController(CommandDispatch dispatch, SegmentCatalog catalog, CorpTags tags) {
        this.dispatch = dispatch;
        this.catalog = catalog;
        this.tags = tags;
    }

    record BindRequest(@NotBlank @Size(max = 64) String tagId, @Size(max = 64) String actor) {
    }

    record Binding(String segmentId, String tagId, String tagName, String tagGroup, boolean changed) {
    }

    @PutMapping
    Mono<Binding> bind(@PathVariable String segmentId, @Valid @RequestBody BindRequest request,
                       @AuthenticationPrincipal Caller caller) {
        return saved(segmentId)
                .then(Mono.fromCallable(() -> tags.find(request.tagId())).subscribeOn(Schedulers.boundedElastic()))
                .map(found -> found.orElseThrow(() -> new InvalidFieldException("tagId",
                        "WeCom has no corp tag " + request.tagId())))
                .flatMap(tag -> dispatch.<Boolean>send(new BindSegmentToWeComTag(segmentId, tag.id(),
                                caller.actor()))
                        .map(changed -> new Binding(segmentId, tag.id(), tag.name(), tag.groupName(), changed)));
    }

    @DeleteMapping
    Mono<Binding> unbind(@PathVariable String segmentId, @AuthenticationPrincipal Caller caller) {
        return saved(segmentId).flatMap(saved -> dispatch.<Boolean>send(new UnbindSegmentFromWeComTag(segmentId,
                        caller.actor()))
                .map(changed -> new Binding(segmentId, null, null, null, changed)));
    }

    private Mono<SegmentCatalog.SavedSegment> saved(String segmentId) {
        return catalog.find(segmentId).switchIfEmpty(Mono.error(() -> new UnknownSegmentException(segmentId)));
    }
}
