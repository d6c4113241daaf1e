package io.siyu.engine.timeline.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.member.UnknownMemberException;
import io.siyu.engine.refusal.Refusal;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberIdPath;
import io.siyu.projections.timeline.Timeline;
import reactor.core.publisher.Mono;

/**
 * A member's whole timeline, newest first, for the WeCom chat sidebar: by member id, or by the WeCom external user id
 * the sidebar gets from {@code getCurExternalContact}. Lines are in Chinese or English by {@code Accept-Language}
 * (Chinese when the header is missing: the sidebar runs inside WeCom).
 */
@RestController
class TimelineController {

    private static final List<Locale> LANGUAGES = List.of(Locale.CHINESE, Locale.ENGLISH);
    private final Timeline timeline;

    TimelineController(Timeline timeline) {
        this.timeline = timeline;
    }

    @GetMapping("/api/v1/members/{memberId}/timeline")
    Mono<Timeline.Page> byMember(@PathVariable String memberId,
                                 @RequestParam(required = false) String before,
                                 @RequestParam(defaultValue = "20") int limit,
                                 @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String language) {
        Timeline.Cursor cursor = check(before, limit);
        return MemberIdPath.check(memberId)
                .flatMap(id -> timeline.page(id, cursor, limit, chinese(language)))
                .switchIfEmpty(Mono.error(() -> new UnknownMemberException(memberId)));
    }

    @GetMapping("/api/v1/wecom/contacts/{externalUserId}/timeline")
    Mono<Timeline.Page> byExternalUser(@PathVariable String externalUserId,
                                       @RequestParam(required = false) String before,
                                       @RequestParam(defaultValue = "20") int limit,
                                       @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false)
                                       String language) {
        Timeline.Cursor cursor = check(before, limit);
        if (externalUserId.length() > 128) {
            throw new InvalidFieldException("externalUserId", "is longer than 128 characters");
        }
        return timeline.memberOfExternalUser(externalUserId)
                .switchIfEmpty(Mono.error(() -> new UnknownContactException(externalUserId)))
                .flatMap(memberId -> timeline.page(memberId, cursor, limit, chinese(language)));
    }

    private static Timeline.Cursor check(String before, int limit) {
        if (limit < 1 || limit > 100) {
            throw new InvalidFieldException("limit", "must be between 1 and 100");
        }
        if (before == null) {
            return null;
        }
        if (before.length() > 200) {
            throw new InvalidFieldException("before", "is not a cursor from a timeline page's nextBefore");
        }
        try {
            return Timeline.Cursor.parse(before);
        } catch (IllegalArgumentException malformed) {
            throw new InvalidFieldException("before", malformed.getMessage());
        }
    }

    static boolean chinese(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return true;
        }
        try {
            Locale best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), LANGUAGES);
            return best == null || best.getLanguage().equals("zh");
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }

    /** No member is linked to the WeCom external user id (yet). */
    static final class UnknownContactException extends Refusal {
        UnknownContactException(String externalUserId) {
            super("unknown-wecom-contact", true, "No member is linked to WeCom external user " + externalUserId,
                    Map.of("externalUserId", externalUserId));
        }
    }
}
