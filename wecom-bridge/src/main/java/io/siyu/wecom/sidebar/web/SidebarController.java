package io.siyu.wecom.sidebar.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.wecom.api.WeComApi;
import me.chanjar.weixin.common.error.WxErrorException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the chat-sidebar page needs before it may call {@code getCurExternalContact}: the agent JS-SDK signature for
 * its own URL. The page then reads the external user id and asks for {@code /api/v1/wecom/contacts/{id}/timeline}.
 */
@RestController
class SidebarController {

    private final WeComApi api;

    SidebarController(WeComApi api) {
        this.api = api;
    }

    /** The agent config for {@code wx.agentConfig}; WeCom signs the page URL without its fragment. */
    record AgentConfig(String corpId, Integer agentId, long timestamp, String nonceStr, String signature) {
    }

    @GetMapping("/api/v1/wecom/sidebar/config")
    Mono<AgentConfig> config(@RequestParam String url) {
        String page = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        URI parsed;
        try {
            parsed = URI.create(page);
        } catch (IllegalArgumentException notAUrl) {
            return Mono.error(new BadUrl());
        }
        if (page.length() > 1024 || parsed.getHost() == null
                || !("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))) {
            return Mono.error(new BadUrl());
        }
        return Mono.fromCallable(() -> api.agentConfig(page)).subscribeOn(Schedulers.boundedElastic())
                .map(signed -> new AgentConfig(signed.getCorpid(), signed.getAgentid(), signed.getTimestamp(),
                        signed.getNonceStr(), signed.getSignature()));
    }

    @ExceptionHandler(BadUrl.class)
    ResponseEntity<ProblemDetail> badUrl(BadUrl bad) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "url: must be the sidebar page's absolute http(s) URL, at most 1024 characters");
        problem.setType(URI.create("urn:siyu:problem:invalid-request"));
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(WxErrorException.class)
    ResponseEntity<ProblemDetail> weComFailed(WxErrorException failure) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "WeCom did not issue the agent ticket (errcode " + failure.getError().getErrorCode() + ")");
        problem.setType(URI.create("urn:siyu:problem:wecom-unavailable"));
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    static final class BadUrl extends RuntimeException {
        BadUrl() {
            super(null, null, false, false);
        }
    }
}
