package io.siyu.engine.member.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.engine.member.PhoneNumbers;
import io.siyu.engine.store.StoreProperties;
import io.siyu.engine.system.SecretKeys;

/** Where the phone hash key comes from. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
class PrivacyConfiguration {

    private static final String KEY_FILE = "phone-hash.key";

    @Bean
    PhoneNumbers phoneNumbers(PrivacyProperties privacy, StoreProperties store) {
        return new PhoneNumbers(SecretKeys.resolve(privacy.phoneHashKey(),
                "siyu.privacy.phone-hash-key (SIYU_PRIVACY_PHONE_HASH_KEY)", store, KEY_FILE));
    }
}
