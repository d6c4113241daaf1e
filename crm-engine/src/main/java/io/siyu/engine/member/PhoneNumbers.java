package io.siyu.engine.member;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a phone number (personal information under PIPL) into what Siyu keeps of it: a keyed hash, so that a member
 * can be found by phone without the number being stored, and a masked form for display. The raw number is never
 * stored, logged or put in a message.
 */
public final class PhoneNumbers {

    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9][0-9]{9}");

    private final SecretKeySpec key;

    public PhoneNumbers(byte[] hashKey) {
        if (hashKey.length < 16) {
            throw new IllegalArgumentException("the phone hash key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(hashKey.clone(), "HmacSHA256");
    }

    /** What is kept of a valid phone number. */
    public record ProtectedPhone(String hash, String masked) {
    }

    /**
     * @param raw a mainland China mobile number, optionally with {@code +86}/{@code 86}, spaces or dashes
     * @return its hash and masked form, or empty when it is not a mainland mobile number
     */
    public Optional<ProtectedPhone> protect(String raw) {
        String digits = raw.replaceAll("[\\s-]", "");
        if (digits.startsWith("+86")) {
            digits = digits.substring(3);
        } else if (digits.length() == 13 && digits.startsWith("86")) {
            digits = digits.substring(2);
        }
        if (!MAINLAND_MOBILE.matcher(digits).matches()) {
            return Optional.empty();
        }
        // the last four digits only: with seven shown, 10,000 candidates would remain
        return Optional.of(new ProtectedPhone(hash(digits), "*******" + digits.substring(7)));
    }

    private String hash(String digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(digits.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
