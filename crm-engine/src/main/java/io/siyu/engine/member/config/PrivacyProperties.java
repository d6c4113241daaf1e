package io.siyu.engine.member.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param phoneHashKey the secret key (base64, at least 16 bytes) phone numbers are hashed with
 *                     ({@code SIYU_PRIVACY_PHONE_HASH_KEY}). Required with an external MongoDB; on the embedded
 *                     store one is generated once and kept in the data directory.
 */
@ConfigurationProperties(prefix = "siyu.privacy")
public record PrivacyProperties(String phoneHashKey) {
}
