package io.siyu.api.tier;

/** Why a member's tier changed. */
public enum TierChangeCause {
    /** Qualifying spend (or points) reached a higher tier's threshold: upgrades are immediate. */
    QUALIFIED,
    /** The tier anniversary's retention review found the member below their tier's threshold. */
    RETENTION_REVIEW,
    /** Staff set the tier by hand. */
    MANUAL_OVERRIDE,
    /** A manual override's floor ended and the member was reviewed on that day. */
    OVERRIDE_ENDED
}
