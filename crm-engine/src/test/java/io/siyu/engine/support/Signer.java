package io.siyu.engine.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request as an integration does (README, "Signed requests"), written from the description rather than from
 * the engine's code: HMAC-SHA256 keyed with the whole API key over method, path and query, timestamp, nonce and the
 * body's hex SHA-256, one per line.
 */
public final class Signer {

    private Signer() {
    }

    /** The credential id inside an API key {@code siyu_<id>_<secret>}. */
    public static String credentialId(String apiKey) {
        return apiKey.split("_")[1];
    }

    public static String authorization(String apiKey, String method, String pathAndQuery, long timestamp,
                                       String nonce, String body) {
        try {
            String bodyDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
            String text = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + bodyDigest;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
            return "SIYU-HMAC-SHA256 Credential=" + credentialId(apiKey) + ", Timestamp=" + timestamp + ", Nonce="
                    + nonce + ", Signature=" + signature;
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
