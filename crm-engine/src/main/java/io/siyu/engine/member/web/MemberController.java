package io.siyu.engine.member.web;

import java.net.URI;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.api.member.MemberRegistration;
import io.siyu.api.member.RegisterMember;
import io.siyu.engine.member.UnionidMismatchException;
import io.siyu.api.purchase.SalesChannel;
import io.siyu.engine.member.identity.MemberIdentities;
import io.siyu.engine.member.PhoneNumbers;
import io.siyu.engine.member.PhoneNumbers.ProtectedPhone;
import io.siyu.engine.web.InvalidFieldException;
import io.siyu.engine.web.MemberWrites;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Registration from the Mini Program. */
@RestController
@RequestMapping("/api/v1/members")
class MemberController {

    private final MemberIdentities identities;
    private final PhoneNumbers phoneNumbers;
    private final MemberWrites writes;

    MemberController(MemberIdentities identities, PhoneNumbers phoneNumbers, MemberWrites writes) {
        this.identities = identities;
        this.phoneNumbers = phoneNumbers;
        this.writes = writes;
    }

    record RegisterRequest(
            @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_-]+",
                    message = "must be a WeChat openid (letters, digits, _ and -)") String openid,
            @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_-]+",
                    message = "must be a WeChat unionid (letters, digits, _ and -)") String unionid,
            @Size(max = 32) String phone,
            @Size(max = 64) String nickname,
            @Size(max = 32) String channel,
            @Size(max = 64) String storeId) {
    }

    record Registered(String memberId) {
    }

    @PostMapping
    Mono<ResponseEntity<Registered>> register(@Valid @RequestBody RegisterRequest request) {
        Optional<ProtectedPhone> phone = Optional.ofNullable(request.phone()).filter(raw -> !raw.isBlank())
                .map(raw -> phoneNumbers.protect(raw).orElseThrow(() ->
                        new InvalidFieldException("phone", "must be a mainland China mobile number")));
        SalesChannel channel = request.channel() == null ? SalesChannel.MINI_PROGRAM
                : SalesChannel.fromCode(request.channel()).orElseThrow(() -> new InvalidFieldException("channel",
                        "must be one of " + SalesChannel.codes()));
        return identities.claim(request.openid())
                .flatMap(memberId -> (request.unionid() == null ? Mono.just(memberId)
                        : identities.claimUnionid(request.unionid(), memberId, request.openid(), "registration"))
                        .flatMap(claimed -> writes.<MemberRegistration>send(memberId, new RegisterMember(memberId,
                                request.openid(), request.unionid(), phone.map(ProtectedPhone::hash).orElse(null),
                                phone.map(ProtectedPhone::masked).orElse(null), request.nickname(), channel,
                                request.storeId())))
                        .onErrorResume(UnionidMismatchException.class, mismatch ->
                                identities.releaseUnionid(request.unionid(), memberId).then(Mono.error(mismatch))))
                .map(registration -> ResponseEntity
                        .status(registration.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .location(URI.create("/api/v1/members/" + registration.memberId()))
                        .body(new Registered(registration.memberId())));
    }
}
