package io.siyu.engine.access;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API and for how long.
 *
 * @param signingKey           base64 HMAC key (≥ 32 bytes) tokens are signed with; generated into the data directory
 *                             on the embedded store, required with an external MongoDB
 * @param previousSigningKey   the key before the last rotation: tokens it signed stay valid until they expire (one
 *                             token lifetime), then remove it
 * @param credentialKey        base64 key integration and staff secrets are derived from (same rules as the signing key)
 * @param memberTokenTtl       how long a Mini Program member token lives
 * @param staffTokenTtl        how long a staff or agent token lives
 * @param signatureWindow      how far a signed request's timestamp may be from now; nonces are remembered this long
 * @param agentAdjustmentLimit the most points (either sign) an agent may adjust in one adjustment; more needs an
 *                             operator
 * @param memberCodeTtl        how long a member code shown at a till stays valid
 * @param identityProvider     an OpenID Connect provider whose tokens staff may use besides the built-in credentials
 * @param rateLimits           requests allowed per caller
 * @param firstOperator        on the first start of an empty store, make an operator credential and write it to
 *                             {@code <data dir>/operator.credential}
 */
@ConfigurationProperties(prefix = "siyu.access")
public record AccessProperties(String signingKey,
                               String previousSigningKey,
                               String credentialKey,
                               @DefaultValue("2h") Duration memberTokenTtl,
                               @DefaultValue("1h") Duration staffTokenTtl,
                               @DefaultValue("5m") Duration signatureWindow,
                               @DefaultValue("500") long agentAdjustmentLimit,
                               @DefaultValue("60s") Duration memberCodeTtl,
                               IdentityProvider identityProvider,
                               RateLimits rateLimits,
                               @DefaultValue("true") boolean firstOperator) {

    public AccessProperties {
        identityProvider = identityProvider == null ? new IdentityProvider(null, null, "roles", "preferred_username")
                : identityProvider;
        rateLimits = rateLimits == null ? new RateLimits(10, 10, 30, 30, 60000) : rateLimits;
    }

    /**
     * @param issuerUri  the provider's issuer; its tokens (by their {@code iss}) are checked against its keys
     * @param jwkSetUri  where its keys are (default: discovered from the issuer)
     * @param rolesClaim the claim listing the staff member's roles ({@code agent}, {@code marketer}, {@code operator};
     *                   a {@code siyu-} prefix is allowed)
     * @param actorClaim the claim naming the staff member in what they write
     */
    public record IdentityProvider(String issuerUri, String jwkSetUri, @DefaultValue("roles") String rolesClaim,
                                   @DefaultValue("preferred_username") String actorClaim) {

        public boolean configured() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    /**
     * Requests per minute allowed for one key: sign-ins per client address, check-ins, redemptions and member codes per
     * member, and every request per staff or integration credential.
     */
    public record RateLimits(@DefaultValue("10") int loginsPerMinute, @DefaultValue("10") int checkInsPerMinute,
                             @DefaultValue("30") int redemptionsPerMinute, @DefaultValue("30") int memberCodesPerMinute,
                             @DefaultValue("60000") int requestsPerCredentialPerMinute) {
    }
}
