package io.siyu.api.rules;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Publish the next version of the earning rules. {@code version} must be the next one (the latest plus one): sending
 * the same version and rules again is answered as a duplicate, other rules under a taken version are refused.
 * Rules cannot be back-dated: {@code effectiveFrom} must not lie in the past.
 *
 * @param ruleBookId    the programme's rule book ({@link #RULE_BOOK})
 * @param version       the version being published (1, 2, ...; 0 is the configured defaults)
 * @param effectiveFrom from when purchases and check-ins use these rules
 * @param rules         the rules
 * @param actor         who published them
 */
public record PublishEarningRules(@TargetAggregateIdentifier String ruleBookId,
                                  int version,
                                  Instant effectiveFrom,
                                  EarningRules rules,
                                  String actor) {

    /** The one rule book of a programme. */
    public static final String RULE_BOOK = "earning-rules";
}
