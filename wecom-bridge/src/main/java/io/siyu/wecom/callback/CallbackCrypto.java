package io.siyu.wecom.callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.siyu.wecom.callback.CallbackRefused.Reason;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * WeCom's callback encryption for one corp: {@code msg_signature} = SHA-1 over the sorted token, timestamp, nonce and
 * ciphertext; AES-256-CBC with the key from the EncodingAESKey, IV its first 16 bytes, PKCS#7 to 32-byte blocks; the
 * plaintext is 16 random bytes, a big-endian length, the message and the receive id (the corp id).
 * <p>
 * Signing and sealing are WxJava's. Opening is done here because WxJava's decrypt does not check the receive id: a
 * message encrypted with the right key for another receive id must be refused, and this is where it is seen.
 */
public final class CallbackCrypto {

    private static final int BLOCK = 32;
    private static final String RANDOM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String receiveId;
    private final byte[] aesKey;
    private final WxCryptUtil wxCrypt;

    /**
     * @param token          the callback token configured in WeCom
     * @param encodingAesKey the 43-character EncodingAESKey configured in WeCom
     * @param receiveId      the corp id messages must be addressed to
     */
    public CallbackCrypto(String token, String encodingAesKey, String receiveId) {
        this.token = token;
        this.receiveId = receiveId;
        this.aesKey = Base64.getDecoder().decode(encodingAesKey + "=");
        if (aesKey.length != 32) {
            throw new IllegalArgumentException("an EncodingAESKey is 43 characters of base64 (32 bytes)");
        }
        this.wxCrypt = new WxCryptUtil(token, encodingAesKey, receiveId);
    }

    /** @return the plaintext of {@code encrypted} once its signature and receive id are right */
    public String open(String msgSignature, String timestamp, String nonce, String encrypted) throws CallbackRefused {
        if (msgSignature == null || timestamp == null || nonce == null || encrypted == null || msgSignature.isEmpty()
                || timestamp.isEmpty() || nonce.isEmpty() || encrypted.isEmpty()) {
            throw new CallbackRefused(Reason.MALFORMED, "msg_signature, timestamp, nonce and the ciphertext are required");
        }
        if (!SHA1.gen(token, timestamp, nonce, encrypted).equals(msgSignature)) {
            throw new CallbackRefused(Reason.SIGNATURE, "msg_signature does not match the token and the message");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(aesKey, 0, 16));
            plain = cipher.doFinal(Base64.getDecoder().decode(encrypted));
        } catch (IllegalArgumentException | GeneralSecurityException unreadable) {
            throw new CallbackRefused(Reason.MALFORMED, "the ciphertext does not decrypt with this corp's key");
        }
        int padding = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        int end = plain.length - padding;
        if (padding < 1 || padding > BLOCK || end < 20) {
            throw new CallbackRefused(Reason.MALFORMED, "the plaintext's padding is not WeCom's");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || length > end - 20) { // compared without adding: no value overflows
            throw new CallbackRefused(Reason.MALFORMED, "the plaintext's length field is out of range");
        }
        String from = new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8);
        if (!receiveId.equals(from)) {
            throw new CallbackRefused(Reason.RECEIVE_ID, "the message is addressed to another receive id");
        }
        return new String(plain, 20, length, StandardCharsets.UTF_8);
    }

    /** A message sealed as WeCom sends it. */
    public record Sealed(String encrypted, String msgSignature) {
    }

    /** Encrypts and signs a message exactly as WeCom does (for the simulator and tests). */
    public Sealed seal(String message, String timestamp, String nonce) {
        StringBuilder random = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            random.append(RANDOM_CHARS.charAt(RANDOM.nextInt(RANDOM_CHARS.length())));
        }
        String encrypted = wxCrypt.encrypt(random.toString(), message);
        return new Sealed(encrypted, SHA1.gen(token, timestamp, nonce, encrypted));
    }
}
