package io.siyu.engine.access;

import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.springframework.http.HttpStatus;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult;
import cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * WeChat's side of a Mini Program sign-in, through WxJava: {@code jscode2session} turns a {@code wx.login} code into
 * the user's openid (and unionid, when the Mini Program is bound to an Open Platform account); the session key it also
 * gives is kept server-side ({@code miniapp_sessions}, by member) and never answered or logged.
 * {@code getuserphonenumber} turns a {@code getPhoneNumber} code into the number WeChat vouches for. WeChat's refusals
 * become clear problems: 40029/40163 an invalid or used code (401), 45011 too many logins (429), 40226 a user WeChat
 * blocked as high-risk (403); anything else, or no answer, 502.
 */
public final class MiniProgramLogin {

    static final String SESSIONS = "miniapp_sessions";

    private final WxMaService weChat;
    private final MongoCollection<Document> sessions;
    private final Clock clock;

    public MiniProgramLogin(MiniProgramProperties properties, MongoDatabase database, Clock clock) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(properties.appId());
        config.setSecret(properties.secret());
        config.setApiHostUrl(properties.apiBaseUrl());
        WxMaServiceImpl service = new WxMaServiceImpl();
        service.setWxMaConfig(config);
        // WxJava retries -1 (busy) itself; a short pause, never 0 (it would turn every error into "retries exceeded")
        service.setRetrySleepMillis(200);
        service.setMaxRetryTimes(2);
        this.weChat = service;
        this.sessions = database.getCollection(SESSIONS);
        this.clock = clock;
    }

    /** Who a {@code wx.login} code belongs to. */
    public record WeChatUser(String openid, Optional<String> unionid, String sessionKey) {
    }

    public Mono<WeChatUser> session(String code) {
        return Mono.fromCallable(() -> {
            WxMaJscode2SessionResult result = weChat.getUserService().getSessionInfo(code);
            return new WeChatUser(result.getOpenid(), Optional.ofNullable(result.getUnionid())
                    .filter(id -> !id.isBlank()), result.getSessionKey());
        }).subscribeOn(Schedulers.boundedElastic()).onErrorMap(WxErrorException.class, MiniProgramLogin::refusal)
                .onErrorMap(WxRuntimeException.class, MiniProgramLogin::unreachable);
    }

    /** Keeps the member's session key server-side (for decrypting data the widget may send later). */
    public Mono<Void> keepSession(String memberId, WeChatUser user) {
        return Mono.from(sessions.replaceOne(Filters.eq("_id", memberId), new Document("_id", memberId)
                        .append("sessionKey", user.sessionKey()).append("at", Date.from(clock.instant())),
                new ReplaceOptions().upsert(true))).then();
    }

    /** The phone number (digits, without country code for +86) a {@code getPhoneNumber} code vouches for. */
    public Mono<String> phoneNumber(String code) {
        return Mono.fromCallable(() -> Optional.ofNullable(weChat.getUserService().getPhoneNumber(code))
                        .map(WxMaPhoneNumberInfo::getPurePhoneNumber).orElse(""))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(WxErrorException.class, MiniProgramLogin::refusal)
                .onErrorMap(WxRuntimeException.class, MiniProgramLogin::unreachable)
                .flatMap(phone -> phone.isBlank() ? Mono.error(new AccessRefused(HttpStatus.BAD_GATEWAY,
                        "wechat-unavailable", "WeChat answered no phone number", Map.of(), null)) : Mono.just(phone));
    }

    private static Throwable unreachable(WxRuntimeException failure) {
        return new AccessRefused(HttpStatus.BAD_GATEWAY, "wechat-unavailable",
                "WeChat could not be reached; nothing was changed, try again", Map.of(), null);
    }

    private static Throwable refusal(WxErrorException failure) {
        int errcode = failure.getError().getErrorCode();
        return switch (errcode) {
            case 40029, 40163 -> new AccessRefused(HttpStatus.UNAUTHORIZED, "invalid-wechat-code",
                    "WeChat did not accept the code (errcode " + errcode + "): it is invalid, expired or used; "
                            + "call wx.login again", Map.of("field", "code", "errcode", errcode), null);
            case 45011 -> AccessRefused.tooMany("sign-ins for this WeChat user (errcode 45011)",
                    java.time.Duration.ofSeconds(60));
            case 40226 -> AccessRefused.forbidden("wechat-high-risk-user",
                    "WeChat blocked this user as high-risk (errcode 40226)", Map.of("errcode", errcode));
            default -> new AccessRefused(HttpStatus.BAD_GATEWAY, "wechat-unavailable",
                    "WeChat refused the call (errcode " + errcode + ")", Map.of("errcode", errcode), null);
        };
    }
}
