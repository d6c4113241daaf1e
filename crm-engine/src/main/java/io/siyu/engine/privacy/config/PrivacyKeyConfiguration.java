package io.siyu.engine.privacy.config;

import java.time.Clock;
import java.util.Base64;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.client.MongoDatabase;

import io.siyu.engine.member.PhoneNumbers;
import io.siyu.engine.member.config.PrivacyProperties;
import io.siyu.engine.privacy.LookupHashes;
import io.siyu.engine.privacy.MasterKeys;
import io.siyu.engine.privacy.MemberDataKeys;
import io.siyu.engine.store.StoreProperties;
import io.siyu.engine.system.SecretKeys;
import io.siyu.wecom.identity.Pseudonyms;

/**
 * The key store: the master key (configuration, or a file of its own beside the embedded store's data), members' data
 * keys in {@code member_keys}, and the lookup key for keyed hashes (phone numbers, openids, unionids, idempotency
 * keys).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PrivacyKeyProperties.class, PrivacyProperties.class})
class PrivacyKeyConfiguration {

    private static final String LOOKUP_KEY_FILE = "phone-hash.key";
    private static final String MASTER_KEY_FILE = "master.key";

    @Bean
    MasterKeys masterKeys(PrivacyKeyProperties keys, StoreProperties store) {
        String current = keys.masterKey();
        if (current == null || current.isBlank()) {
            // the embedded default: the same resolution as every other key, stored as id:base64
            byte[] generated = SecretKeys.resolve(null, "siyu.privacy.master-key (SIYU_PRIVACY_MASTER_KEY)", store,
                    MASTER_KEY_FILE);
            current = MemberDataKeys.EMBEDDED_KEY_ID + ":" + Base64.getEncoder().encodeToString(generated);
        }
        return new MasterKeys(current, keys.previousMasterKeys());
    }

    @Bean
    MemberDataKeys memberDataKeys(MongoDatabase syncMongoDatabase, MasterKeys masterKeys, Clock clock,
                                  PrivacyKeyProperties keys) {
        return new MemberDataKeys(syncMongoDatabase, masterKeys, clock, keys.keyCacheTtl(), keys.keyCacheSize());
    }

    /** One lookup key for every keyed hash (resolved once: in memory it is a fresh random key). */
    @Bean
    LookupKey lookupKey(PrivacyProperties privacy, StoreProperties store) {
        return new LookupKey(SecretKeys.resolve(privacy.phoneHashKey(),
                "siyu.privacy.phone-hash-key (SIYU_PRIVACY_PHONE_HASH_KEY)", store, LOOKUP_KEY_FILE));
    }

    @Bean
    LookupHashes lookupHashes(LookupKey key) {
        return new LookupHashes(key.bytes());
    }

    /** The bridge stores unionids as the same keyed hashes the engine claims them under. */
    @Bean
    Pseudonyms pseudonyms(LookupHashes lookupHashes) {
        return lookupHashes::unionid;
    }

    @Bean
    PhoneNumbers phoneNumbers(LookupKey key) {
        return new PhoneNumbers(key.bytes());
    }

    record LookupKey(byte[] bytes) {
    }
}
