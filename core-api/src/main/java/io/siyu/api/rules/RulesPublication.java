package io.siyu.api.rules;

/**
 * The answer to {@link PublishEarningRules}.
 *
 * @param version   the version published
 * @param duplicate {@code true} when exactly this version had been published before and nothing was written now
 */
public record RulesPublication(int version, boolean duplicate) {
}
