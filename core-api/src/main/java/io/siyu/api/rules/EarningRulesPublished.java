package io.siyu.api.rules;

import java.time.Instant;

/**
 * A version of the earning rules was published.
 *
 * @param ruleBookId    the rule book
 * @param version       the version
 * @param effectiveFrom from when it applies (until a later version takes effect)
 * @param rules         the rules
 * @param actor         who published them
 */
public record EarningRulesPublished(String ruleBookId,
                                    int version,
                                    Instant effectiveFrom,
                                    EarningRules rules,
                                    String actor) {
}
