package io.siyu.engine.campaign.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siyu.api.campaign.CampaignAttachment;
import io.siyu.api.campaign.CampaignMessage;
import io.siyu.api.campaign.CampaignSchedule;
import io.siyu.api.campaign.DefineCampaign;
import io.siyu.api.campaign.StopCampaign;
import io.siyu.engine.access.Caller;
import io.siyu.engine.campaign.UnknownCampaignException;
import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.web.CommandDispatch;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.projections.campaign.CampaignResults;
import io.siyu.projections.segment.SegmentCatalog;
import io.siyu.wecom.campaign.CampaignTasks;
import io.siyu.wecom.joinway.JoinWays;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Campaigns for marketers: a saved segment, a message and a schedule, sent through WeCom's enterprise mass messaging
 * by each member's staff contact, with results computed from events.
 * <ul>
 *   <li>{@code POST /api/v1/campaigns} — save one ({@code campaignId} is the idempotency key: 201 when saved, 200 for
 *   the same definition again, 409 {@code idempotency-key-reused} for another). Message: {@code text} (at most 4,000
 *   bytes) and up to 9 {@code attachments} ({@code image}, {@code link}, {@code miniprogram}, {@code join_way_qr});
 *   schedule {@code once} (default, at {@code startAt} or now) or {@code daily} (a standing rule from
 *   {@code startAt}, every 24 h, until {@code endAt} or a stop); {@code purpose} the consent required (marketing);
 *   {@code joinWayState} the join way whose joins count for it (taken from a {@code join_way_qr} attachment when not
 *   given); {@code joinWindowDays} (1–90, default 7).</li>
 *   <li>{@code GET /api/v1/campaigns} — every campaign, newest first.</li>
 *   <li>{@code GET /api/v1/campaigns/{id}?from&to} — results: targeted, held back (consent, no contact, receive
 *   limit), awaiting confirmation, sent, not a contact, not confirmed, joined through the join way within the window,
 *   first purchase after joining; per staff member; per business day ({@code from}–{@code to}, at most 366 days,
 *   default the last 30); the last runs; and the delivery (the WeCom tasks, including any reported as a possible
 *   duplicate).</li>
 *   <li>{@code GET /api/v1/campaigns/{id}/recipients?state&after&limit} — who, and where each stands.</li>
 *   <li>{@code POST /api/v1/campaigns/{id}/stop} — no further run; tasks already with staff are still followed.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/campaigns")
class CampaignsController {

    private static final int TEXT_BYTES = 4000;

    private final CommandDispatch dispatch;
    private final CampaignResults results;
    private final CampaignTasks tasks;
    private final SegmentCatalog segments;
    private final JoinWays joinWays;
    private final Clock clock;
    private final ZoneId zone;
    private final List<String> purposes;

    CampaignsController(CommandDispatch dispatch, CampaignResults results, CampaignTasks tasks,
                        SegmentCatalog segments, JoinWays joinWays, Clock clock, SystemProperties system,
                        io.siyu.engine.member.config.PrivacyProperties privacy) {
        this.purposes = privacy.purposes();
        this.dispatch = dispatch;
        this.results = results;
        this.tasks = tasks;
        this.segments = segments;
        this.joinWays = joinWays;
        this.clock = clock;
        this.zone = system.businessZone();
    }

    record AttachmentRequest(@NotBlank @Pattern(regexp = "image|link|miniprogram|join_way_qr",
                                     message = "must be image, link, miniprogram or join_way_qr") String type,
                             @Size(max = 256) String mediaId, @Size(max = 1024) String picUrl,
                             String title, String description, @Size(max = 2048) String url,
                             @Size(max = 64) String appId, @Size(max = 256) String page,
                             @Size(max = 30) String joinWayState) {
    }

    record MessageRequest(String text, @Size(max = 9, message = "must hold at most 9 attachments (WeCom's limit)")
                          List<@Valid @NotNull AttachmentRequest> attachments) {
    }

    record ScheduleRequest(@Pattern(regexp = "once|daily", message = "must be once or daily") String kind,
                           Instant startAt, Instant endAt) {
    }

    record CampaignRequest(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+",
                                   message = "must be letters, digits, _ and -") String campaignId,
                           @NotBlank @Size(max = 64) String name,
                           @NotBlank @Size(max = 64) String segmentId,
                           @NotNull @Valid MessageRequest message,
                           @Valid ScheduleRequest schedule,
                           @Size(max = 64) @Pattern(regexp = "[a-z0-9_-]+",
                                   message = "must be lower-case letters, digits, _ and -") String purpose,
                           @Size(max = 30) String joinWayState,
                           @Min(1) @Max(90) Integer joinWindowDays) {
    }

    /** A campaign's results and its delivery through WeCom. */
    record CampaignView(CampaignResults.Result results, CampaignTasks.Delivery delivery,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean duplicate) {
    }

    @PostMapping
    Mono<ResponseEntity<CampaignView>> define(@Valid @RequestBody CampaignRequest request,
                                              @AuthenticationPrincipal Caller caller) {
        return Mono.fromCallable(() -> command(request, caller.actor())).subscribeOn(Schedulers.boundedElastic())
                .flatMap(command -> dispatch.<Boolean>send(command).flatMap(created ->
                        // every blocking read inside the callable: a repeat cancels (interrupts) its worker once a
                        // value is out, so nothing downstream of it may block
                        Mono.fromCallable(() -> results.results(command.campaignId(), today(), today())
                                        .map(found -> new CampaignView(found, tasks.delivery(command.campaignId()),
                                                created ? null : true)))
                                .subscribeOn(Schedulers.boundedElastic())
                                .flatMap(Mono::justOrEmpty)
                                .repeatWhenEmpty(repeats -> repeats.take(50).delayElements(Duration.ofMillis(100)))
                                .map(view -> ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                                        .body(view))
                                .switchIfEmpty(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                                        .body(new CampaignView(null, null, created ? null : true))))));
    }

    /** A campaign as the list shows it. */
    record CampaignSummary(String campaignId, String name, String segmentId, String schedule, boolean stopped,
                           Instant definedAt, long runCount) {
    }

    /** Every campaign, newest first (a marketer's handful, read whole). */
    @GetMapping
    Mono<List<CampaignSummary>> list() {
        return Mono.fromCallable(() -> results.all().stream().map(campaign -> new CampaignSummary(
                        campaign.campaignId(), campaign.name(), campaign.segmentId(), campaign.schedule(),
                        campaign.stopped(), campaign.definedAt(), campaign.runCount())).toList())
                .subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/{campaignId}")
    Mono<CampaignView> find(@PathVariable String campaignId, @RequestParam(required = false) LocalDate from,
                            @RequestParam(required = false) LocalDate to) {
        LocalDate last = to == null ? today() : to;
        LocalDate first = from == null ? last.minusDays(29) : from;
        if (first.isAfter(last)) {
            throw new InvalidFieldException("from", "is after to");
        }
        if (ChronoUnit.DAYS.between(first, last) > 366) {
            throw new InvalidFieldException("from", "spans more than 366 days to to");
        }
        return Mono.fromCallable(() -> results.results(campaignId, first, last)
                        .map(found -> new CampaignView(found, tasks.delivery(campaignId), null))
                        .orElseThrow(() -> new UnknownCampaignException(campaignId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    record RecipientPage(String campaignId, List<CampaignResults.Recipient> recipients, String nextAfter) {
    }

    @GetMapping("/{campaignId}/recipients")
    Mono<RecipientPage> recipients(@PathVariable String campaignId, @RequestParam(required = false) String state,
                                   @RequestParam(required = false) String after,
                                   @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidFieldException("limit", "must be between 1 and 1000");
        }
        if (state != null && !List.of("queued", "held-back", "given-up", "sent", "not-a-contact", "not-confirmed",
                "not-sent", "joined").contains(state)) {
            throw new InvalidFieldException("state", "must be queued, held-back, given-up, sent, not-a-contact, "
                    + "not-confirmed, not-sent or joined");
        }
        return Mono.fromCallable(() -> {
            if (results.results(campaignId, today(), today()).isEmpty()) {
                throw new UnknownCampaignException(campaignId);
            }
            List<CampaignResults.Recipient> page = results.recipients(campaignId, state, after, limit);
            return new RecipientPage(campaignId, page, page.size() < limit ? null
                    : page.get(page.size() - 1).memberId());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    record StopResult(String campaignId, boolean stopped) {
    }

    @PostMapping("/{campaignId}/stop")
    Mono<StopResult> stop(@PathVariable String campaignId, @AuthenticationPrincipal Caller caller) {
        return Mono.fromCallable(() -> results.results(campaignId, today(), today()).isPresent())
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(known -> known ? dispatch.<Boolean>send(new StopCampaign(campaignId, caller.actor()))
                        : Mono.error(new UnknownCampaignException(campaignId)))
                .map(changed -> new StopResult(campaignId, true));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /** Checks what validation annotations cannot, and builds the command. */
    private DefineCampaign command(CampaignRequest request, String actor) {
        if (request.purpose() != null && !purposes.contains(request.purpose())) {
            throw new InvalidFieldException("purpose", "must be one of " + purposes);
        }
        if (segments.find(request.segmentId()).blockOptional().isEmpty()) {
            throw new InvalidFieldException("segmentId", "names no saved segment");
        }
        String text = request.message().text() == null ? "" : request.message().text();
        List<AttachmentRequest> asked = request.message().attachments() == null ? List.of()
                : request.message().attachments();
        if (text.isBlank() && asked.isEmpty()) {
            throw new InvalidFieldException("message", "needs text or an attachment");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > TEXT_BYTES) {
            throw new InvalidFieldException("message.text", "is longer than 4000 bytes (WeCom's limit)");
        }
        String joinWayState = request.joinWayState();
        List<CampaignAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            AttachmentRequest attachment = asked.get(i);
            String at = "message.attachments[" + i + "]";
            switch (attachment.type()) {
                case "image" -> {
                    if (blank(attachment.mediaId()) == blank(attachment.picUrl())) {
                        throw new InvalidFieldException(at + ".mediaId", "or picUrl (one of them) is required for an "
                                + "image");
                    }
                    web(attachment.picUrl(), at + ".picUrl");
                }
                case "link" -> {
                    required(attachment.url(), at + ".url", "a link");
                    required(attachment.title(), at + ".title", "a link");
                    web(attachment.url(), at + ".url");
                    web(attachment.picUrl(), at + ".picUrl");
                    bytes(attachment.title(), at + ".title", 128);
                    bytes(attachment.description(), at + ".description", 512);
                }
                case "miniprogram" -> {
                    required(attachment.title(), at + ".title", "a Mini Program card");
                    required(attachment.mediaId(), at + ".mediaId", "a Mini Program card (its cover)");
                    required(attachment.appId(), at + ".appId", "a Mini Program card");
                    required(attachment.page(), at + ".page", "a Mini Program card");
                    bytes(attachment.title(), at + ".title", 64);
                }
                default -> {
                    required(attachment.joinWayState(), at + ".joinWayState", "a join way's QR code");
                    JoinWays.JoinWay way = joinWays.find(attachment.joinWayState()).orElseThrow(() ->
                            new InvalidFieldException(at + ".joinWayState", "names no join way"));
                    if (way.qrCode() == null) {
                        throw new InvalidFieldException(at + ".joinWayState",
                                "names a join way without a QR code (a Mini Program button)");
                    }
                    if (joinWayState != null && !joinWayState.equals(attachment.joinWayState())) {
                        throw new InvalidFieldException("joinWayState", "differs from the join way of "
                                + at);
                    }
                    joinWayState = attachment.joinWayState();
                }
            }
            attachments.add(new CampaignAttachment(attachment.type(), attachment.mediaId(), attachment.picUrl(),
                    attachment.title(), attachment.description(), attachment.url(), attachment.appId(),
                    attachment.page(), attachment.joinWayState()));
        }
        List<String> chats = List.of();
        if (joinWayState != null) {
            JoinWays.JoinWay way = joinWays.find(joinWayState).orElseThrow(() ->
                    new InvalidFieldException("joinWayState", "names no join way"));
            chats = way.chatIds();
        }
        ScheduleRequest schedule = request.schedule() == null ? new ScheduleRequest(null, null, null)
                : request.schedule();
        String kind = schedule.kind() == null ? CampaignSchedule.ONCE : schedule.kind();
        if (schedule.endAt() != null) {
            if (!CampaignSchedule.DAILY.equals(kind)) {
                throw new InvalidFieldException("schedule.endAt", "is only for a daily campaign");
            }
            Instant start = schedule.startAt() == null ? clock.instant() : schedule.startAt();
            if (!schedule.endAt().isAfter(start)) {
                throw new InvalidFieldException("schedule.endAt", "is not after the start");
            }
        }
        if (schedule.startAt() != null && schedule.startAt().isAfter(clock.instant().plus(Duration.ofDays(366)))) {
            throw new InvalidFieldException("schedule.startAt", "is more than a year ahead");
        }
        return new DefineCampaign(request.campaignId(), request.name(), request.segmentId(),
                new CampaignMessage(text.isEmpty() ? null : text, attachments),
                new CampaignSchedule(kind, schedule.startAt(), schedule.endAt()),
                request.purpose() == null ? "marketing" : request.purpose(), joinWayState, chats,
                request.joinWindowDays() == null ? 7 : request.joinWindowDays(), actor);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static void required(String value, String field, String what) {
        if (blank(value)) {
            throw new InvalidFieldException(field, "is required for " + what);
        }
    }

    /** An address a customer's WeChat opens: an absolute http(s) URL, or nothing. */
    private static void web(String value, String field) {
        if (value == null) {
            return;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new InvalidFieldException(field, "must be an absolute http or https URL");
            }
        } catch (java.net.URISyntaxException malformed) {
            throw new InvalidFieldException(field, "must be an absolute http or https URL");
        }
    }

    private static void bytes(String value, String field, int max) {
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new InvalidFieldException(field, "is longer than " + max + " bytes (WeCom's limit)");
        }
    }
}
