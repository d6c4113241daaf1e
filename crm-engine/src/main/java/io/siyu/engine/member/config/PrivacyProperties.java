package io.siyu.engine.member.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param phoneHashKey the secret key (base64, at least 16 bytes) phone numbers are hashed with
 *                     ({@code SIYU_PRIVACY_PHONE_HASH_KEY}). Required with an external MongoDB; on the embedded
 *                     store one is generated once and kept in the data directory.
 * @param purposes     the purposes a member can consent to (PIPL: one consent per purpose); a consent for any other
 *                     purpose is refused, naming {@code purpose}
 */
@ConfigurationProperties(prefix = "siyu.privacy")
public record PrivacyProperties(String phoneHashKey,
                                @DefaultValue({"marketing", "wecom_contact", "analytics"}) List<String> purposes) {
}
