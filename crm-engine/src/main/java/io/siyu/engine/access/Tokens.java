package io.siyu.engine.access;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Mono;

/**
 * Siyu's own short-lived tokens (JWT, HS256, signed and checked by Spring Security on Nimbus JOSE): {@code sub} is the
 * member id for a member, the staff member for staff; {@code role} the {@link Role}; {@code aud} {@code siyu}. Tokens
 * name the key that signed them ({@code kid}); the previous key still verifies after a rotation. Expiry is checked on
 * the engine's clock.
 */
public final class Tokens {

    public static final String ISSUER = "siyu";
    public static final String AUDIENCE = "siyu-api";

    private final Clock clock;
    private final String currentKeyId;
    private final NimbusJwtEncoder encoder;
    private final Map<String, ReactiveJwtDecoder> decoders = new LinkedHashMap<>();

    public Tokens(Clock clock, byte[] signingKey, byte[] previousSigningKey) {
        this.clock = clock;
        SecretKey current = new SecretKeySpec(signingKey, "HmacSHA256");
        this.currentKeyId = keyId(signingKey);
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(new OctetSequenceKey.Builder(current)
                .keyID(currentKeyId).algorithm(JWSAlgorithm.HS256).build())));
        decoders.put(currentKeyId, decoder(current));
        if (previousSigningKey != null) {
            decoders.putIfAbsent(keyId(previousSigningKey),
                    decoder(new SecretKeySpec(previousSigningKey, "HmacSHA256")));
        }
    }

    /** A signed token for {@code role} and {@code subject}, valid for {@code ttl} from now. */
    public Issued issue(Role role, String subject, String credentialId, Duration ttl) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(ISSUER).audience(List.of(AUDIENCE)).subject(subject)
                .issuedAt(now).expiresAt(now.plus(ttl)).claim("role", role.code()).claim("cid", credentialId)
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).keyId(currentKeyId).build();
        Jwt jwt = encoder.encode(JwtEncoderParameters.from(header, claims));
        return new Issued(jwt.getTokenValue(), ttl.toSeconds(), jwt.getExpiresAt());
    }

    /** A token as given to its holder: {@code expiresIn} seconds. */
    public record Issued(String accessToken, long expiresIn, Instant expiresAt) {
    }

    /** @return whether the token claims to be ours (its issuer), read without checking it */
    public static boolean ours(String token) {
        return issuerOf(token).map(ISSUER::equals).orElse(false);
    }

    static Optional<String> issuerOf(String token) {
        try {
            return Optional.ofNullable(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
        } catch (ParseException notAJwt) {
            return Optional.empty();
        }
    }

    /** The caller a valid token of ours proves; an error when it is forged, expired or not ours. */
    public Mono<Caller> verify(String token) {
        String keyId;
        try {
            keyId = SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException malformed) {
            return Mono.error(new JwtException("malformed token"));
        }
        ReactiveJwtDecoder decoder = keyId == null ? null : decoders.get(keyId);
        if (decoder == null) {
            return Mono.error(new JwtException("token signed by an unknown key"));
        }
        return decoder.decode(token).flatMap(jwt -> Mono.justOrEmpty(Role.fromCode(jwt.getClaimAsString("role")))
                .map(role -> new Caller(role, jwt.getSubject(), jwt.getClaimAsString("cid"), true))
                .switchIfEmpty(Mono.error(new JwtException("token without a role"))));
    }

    private ReactiveJwtDecoder decoder(SecretKey key) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256)
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(ISSUER),
                // a token without an expiry would never expire: ours always carry one
                jwt -> jwt.getExpiresAt() != null ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "no expiry", null)),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(AUDIENCE)
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null))));
        return decoder;
    }

    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
