package io.siyu.engine.privacy;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap members' data keys: the current one wraps new data keys and re-wraps old ones; previous
 * ones only unwrap, until a rotation has re-wrapped every data key they wrapped. Each is written {@code id:base64}
 * (a 256-bit AES key); the id is stored beside every data key it wraps.
 */
public final class MasterKeys {

    private final String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    /**
     * @param current  the current master key, {@code id:base64}
     * @param previous earlier master keys still able to unwrap, {@code id:base64} each
     * @throws IllegalArgumentException naming the malformed entry (never its key)
     */
    public MasterKeys(String current, List<String> previous) {
        this.currentId = add(current, "the current master key");
        List<String> given = previous.stream().filter(entry -> entry != null && !entry.isBlank()).toList();
        for (int i = 0; i < given.size(); i++) {
            add(given.get(i), "previous master key #" + (i + 1));
        }
    }

    private String add(String entry, String what) {
        int colon = entry == null ? -1 : entry.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException(what + " must be written id:base64");
        }
        String id = entry.substring(0, colon).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(what + " (" + id + ") is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(what + " (" + id + ") must be 32 bytes (AES-256), not " + key.length);
        }
        if (keys.containsKey(id)) {
            throw new IllegalArgumentException("two master keys have the id " + id);
        }
        keys.put(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    Optional<SecretKey> byId(String id) {
        return Optional.ofNullable(keys.get(id));
    }
}
