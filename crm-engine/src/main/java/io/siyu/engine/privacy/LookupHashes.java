package io.siyu.engine.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes (HMAC-SHA256 under the engine's lookup key) for what must be found by a personal value without
 * storing it: openid → member, unionid → member, and idempotency keys that carry an external_userid. Without the key
 * a hash cannot be matched to a value by trying candidates. Each kind hashes apart, so one value never gives the same
 * hash as an openid and as a unionid. A hash survives a member's erasure: it says "this value was seen", never what
 * the value was.
 */
public final class LookupHashes {

    private final SecretKeySpec key;

    public LookupHashes(byte[] lookupKey) {
        if (lookupKey.length < 16) {
            throw new IllegalArgumentException("the lookup key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(lookupKey.clone(), "HmacSHA256");
    }

    /** @return 160 bits of the keyed hash of {@code kind} and {@code value}, base64url (27 characters) */
    public String of(String kind, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(kind.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 20));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String openid(String openid) {
        return of("openid", openid);
    }

    public String unionid(String unionid) {
        return of("unionid", unionid);
    }

    /** An idempotency key as the event store keeps it. */
    public String idempotencyKey(String key) {
        return of("key", key);
    }
}
