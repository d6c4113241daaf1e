package io.siyu.engine.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM through the JDK: a fresh 96-bit nonce per value, the 128-bit tag checked on reading, and associated data
 * that binds a ciphertext to where it belongs (a member and a field), so a value copied elsewhere does not decrypt.
 */
final class FieldCipher {

    static final String PREFIX = "pd1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FieldCipher() {
    }

    static byte[] seal(SecretKey key, byte[] plain, String context) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws IllegalStateException when the value was not sealed with this key and context (tampered, or moved) */
    static byte[] open(SecretKey key, byte[] sealed, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A sealed value does not open with its key (" + context + ")", e);
        }
    }

    /** @return {@code pd1:} and the base64 of nonce, ciphertext and tag */
    static String sealText(SecretKey key, String plain, String context) {
        return PREFIX + Base64.getEncoder().encodeToString(seal(key, plain.getBytes(StandardCharsets.UTF_8), context));
    }

    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    static String openText(SecretKey key, String sealed, String context) {
        return new String(open(key, Base64.getDecoder().decode(sealed.substring(PREFIX.length())), context),
                StandardCharsets.UTF_8);
    }
}
