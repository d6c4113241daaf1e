package io.siyu.engine.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import io.siyu.engine.store.StoreProperties;

/**
 * Where a secret key of the engine comes from: the configuration when it is set; otherwise, on the embedded store, a
 * random key generated once into a file of the data directory readable only by its owner (in memory: a fresh random
 * key). With an external MongoDB the key must be configured, so that every node and every restart uses the same one.
 */
public final class SecretKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() {
    }

    /**
     * @param configured the configured base64 key, or null/blank
     * @param setting    the setting's name, for the error when it is required
     * @param file       the file name in the data directory
     */
    public static byte[] resolve(String configured, String setting, StoreProperties store, String file) {
        if (configured != null && !configured.isBlank()) {
            return Base64.getDecoder().decode(configured.trim());
        }
        if (store.mongodb().configured()) {
            throw new IllegalStateException(setting + " must be set when an external MongoDB is used: every node and "
                    + "every restart must use the same key");
        }
        if (store.embedded().inMemory()) {
            return random(32);
        }
        return fromDataDir(store.dataDir().resolve(file));
    }

    public static byte[] random(int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Writes {@code text} to a new file readable and writable only by its owner. */
    public static void writeOwnerOnly(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's own permissions apply.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static byte[] fromDataDir(Path file) {
        try {
            if (!Files.exists(file)) {
                writeOwnerOnly(file, Base64.getEncoder().encodeToString(random(32)));
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key " + file, e);
        }
    }
}
