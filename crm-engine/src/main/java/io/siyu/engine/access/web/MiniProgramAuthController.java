package io.siyu.engine.access.web;

import java.util.Optional;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.siyu.api.member.BindPhone;
import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.PhoneBinding;
import io.siyu.api.member.RegisterMember;
import io.siyu.engine.member.UnionidMismatchException;
import io.siyu.engine.member.identity.UnionidClaimedException;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.access.AccessProperties;
import io.siyu.engine.access.AccessRefused;
import io.siyu.engine.access.Caller;
import io.siyu.engine.access.MemberCodes;
import io.siyu.engine.access.MiniProgramLogin;
import io.siyu.engine.access.RateLimits;
import io.siyu.engine.access.Role;
import io.siyu.engine.access.Tokens;
import io.siyu.engine.member.PhoneNumbers;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The Mini Program widget signs in and proves itself.
 * <ul>
 * <li>{@code POST /api/v1/auth/mini-program {"code"}} (public): the {@code wx.login} code is exchanged with WeChat;
 * a new openid is registered as a member (channel {@code mini_program}, unionid when WeChat gives one), a known one
 * signs in; answers {@code {"accessToken","tokenType":"Bearer","expiresIn" (s),"role":"member","memberId"}}. Log in
 * again to refresh. 401 {@code invalid-wechat-code}, 429 {@code rate-limited}, 403 {@code wechat-high-risk-user},
 * 502 {@code wechat-unavailable}, 503 {@code mini-program-not-configured}.</li>
 * <li>{@code POST /api/v1/auth/mini-program/phone {"code"}} (member token): binds the phone number of WeChat's
 * {@code getPhoneNumber} code; answers {@code {"phoneMasked","changed"}}.</li>
 * <li>{@code GET /api/v1/me/member-code} (member token): a new member code for the till:
 * {@code {"code" (18 digits),"expiresAt","refreshInSeconds"}}.</li>
 * </ul>
 */
@RestController
class MiniProgramAuthController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MiniProgramAuthController.class);

    private final MiniProgramLogin weChat;
    private final MemberIdentities identities;
    private final MemberWrites writes;
    private final PhoneNumbers phoneNumbers;
    private final Tokens tokens;
    private final MemberCodes codes;
    private final RateLimits limits;
    private final AccessProperties access;

    MiniProgramAuthController(org.springframework.beans.factory.ObjectProvider<MiniProgramLogin> weChat,
                              MemberIdentities identities, MemberWrites writes, PhoneNumbers phoneNumbers,
                              Tokens tokens, MemberCodes codes, RateLimits limits, AccessProperties access) {
        this.weChat = weChat.getIfAvailable();
        this.identities = identities;
        this.writes = writes;
        this.phoneNumbers = phoneNumbers;
        this.tokens = tokens;
        this.codes = codes;
        this.limits = limits;
        this.access = access;
    }

    record CodeRequest(@NotBlank @Size(max = 128) String code) {
    }

    record PhoneAnswer(String phoneMasked, boolean changed) {
    }

    @PostMapping("/api/v1/auth/mini-program")
    Mono<AuthController.TokenAnswer> login(@Valid @RequestBody CodeRequest request, ServerWebExchange exchange) {
        MiniProgramLogin login = configured();
        limits.login(clientAddress(exchange));
        return login.session(request.code())
                .flatMap(user -> identities.claim(user.openid())
                        // a unionid WeChat reports is attached when the member has none; one another member holds
                        // (or that differs from the member's) is left out and the sign-in goes on — the conflict is
                        // recorded for an operator
                        .flatMap(memberId -> unionidFor(user, memberId)
                                .flatMap(unionid -> writes.<MemberRegistration>send(memberId, new RegisterMember(
                                        memberId, user.openid(), unionid.orElse(null), null, null, null,
                                        SalesChannel.MINI_PROGRAM, null)))
                                .onErrorResume(UnionidMismatchException.class, mismatch -> Mono.fromRunnable(() ->
                                                log.warn("WeChat reported another unionid for a member's openid at "
                                                        + "sign-in; the member keeps theirs"))
                                        .then(identities.releaseUnionid(user.unionid().orElseThrow(), memberId))
                                        .then(writes.<MemberRegistration>send(memberId, new RegisterMember(memberId,
                                                user.openid(), null, null, null, null, SalesChannel.MINI_PROGRAM,
                                                null)))))
                        .flatMap(registration -> login.keepSession(registration.memberId(), user)
                                .thenReturn(registration.memberId())))
                .map(memberId -> AuthController.TokenAnswer.of(tokens.issue(Role.MEMBER, memberId, "mini-program",
                        access.memberTokenTtl()), Role.MEMBER, memberId));
    }

    private Mono<Optional<String>> unionidFor(MiniProgramLogin.WeChatUser user, String memberId) {
        if (user.unionid().isEmpty()) {
            return Mono.just(Optional.empty());
        }
        return identities.claimUnionid(user.unionid().get(), memberId, user.openid(), "mini-program")
                .map(claimed -> user.unionid())
                .onErrorResume(UnionidClaimedException.class, claimed -> Mono.just(Optional.empty()));
    }

    @PostMapping("/api/v1/auth/mini-program/phone")
    Mono<PhoneAnswer> phone(@Valid @RequestBody CodeRequest request, @AuthenticationPrincipal Caller member) {
        MiniProgramLogin login = configured();
        return login.phoneNumber(request.code())
                .map(raw -> phoneNumbers.protect(raw).orElseThrow(() -> new InvalidFieldException("code",
                        "WeChat's number is not a mainland China mobile number")))
                .flatMap(phone -> writes.<PhoneBinding>send(member.subject(), new BindPhone(member.subject(),
                        phone.hash(), phone.masked(), "wechat")))
                .map(binding -> new PhoneAnswer(binding.phoneMasked(), binding.changed()));
    }

    @GetMapping("/api/v1/me/member-code")
    Mono<MemberCodes.Issued> memberCode(@AuthenticationPrincipal Caller member) {
        limits.memberCode(member.subject());
        return codes.issue(member.subject());
    }

    private MiniProgramLogin configured() {
        if (weChat == null) {
            throw new AccessRefused(HttpStatus.SERVICE_UNAVAILABLE, "mini-program-not-configured",
                    "This engine has no Mini Program configured (siyu.miniapp.app-id)", Map.of(), null);
        }
        return weChat;
    }

    static String clientAddress(ServerWebExchange exchange) {
        var remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
