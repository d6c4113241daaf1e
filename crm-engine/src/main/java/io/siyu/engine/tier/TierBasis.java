package io.siyu.engine.tier;

/** What tier thresholds are measured in. */
public enum TierBasis {
    /** Net spend in fen over the window (the default). */
    SPEND,
    /** Net purchase points over the window. */
    POINTS
}
