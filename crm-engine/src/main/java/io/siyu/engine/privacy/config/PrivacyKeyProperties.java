package io.siyu.engine.privacy.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the keys protecting personal data come from.
 *
 * @param masterKey          the master key that wraps members' data keys, {@code id:base64} of 32 random bytes
 *                           ({@code SIYU_PRIVACY_MASTER_KEY}). Required with an external MongoDB; on the embedded
 *                           store one is generated once into {@code master.key} in the data directory (a file of its
 *                           own, readable only by its owner), which production should replace with the setting
 * @param previousMasterKeys earlier master keys, {@code id:base64} each, still able to unwrap data keys until a
 *                           rotation has re-wrapped them ({@code SIYU_PRIVACY_PREVIOUS_MASTER_KEYS}, comma-separated)
 * @param keyCacheTtl        how long an unwrapped data key is kept in memory; also how long another node may still
 *                           read a member erased elsewhere
 * @param keyCacheSize       how many unwrapped data keys are kept in memory at most
 */
@ConfigurationProperties(prefix = "siyu.privacy")
public record PrivacyKeyProperties(String masterKey,
                                   @DefaultValue("") List<String> previousMasterKeys,
                                   @DefaultValue("60s") Duration keyCacheTtl,
                                   @DefaultValue("100000") long keyCacheSize) {
}
