package io.siyu.engine.member.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.engine.member.PhoneNumbers;
import io.siyu.engine.store.StoreProperties;

/** Where the phone hash key comes from. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
class PrivacyConfiguration {

    private static final String KEY_FILE = "phone-hash.key";

    @Bean
    PhoneNumbers phoneNumbers(PrivacyProperties privacy, StoreProperties store) {
        if (privacy.phoneHashKey() != null && !privacy.phoneHashKey().isBlank()) {
            return new PhoneNumbers(Base64.getDecoder().decode(privacy.phoneHashKey().trim()));
        }
        if (store.mongodb().configured()) {
            throw new IllegalStateException("siyu.privacy.phone-hash-key (SIYU_PRIVACY_PHONE_HASH_KEY) must be set "
                    + "when an external MongoDB is used: phone hashes must stay comparable across nodes and restarts");
        }
        if (store.embedded().inMemory()) {
            return new PhoneNumbers(randomKey());
        }
        return new PhoneNumbers(keyFromDataDir(store.dataDir().resolve(KEY_FILE)));
    }

    private static byte[] keyFromDataDir(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, Base64.getEncoder().encodeToString(randomKey()), StandardOpenOption.CREATE_NEW);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the data directory's own permissions apply.
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the phone hash key " + file, e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
