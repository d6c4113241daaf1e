package io.siyu.api.points;

/**
 * One rule that contributed to an amount of points, so that every movement can answer "why".
 *
 * @param rule   the rule's name, e.g. {@code base}, {@code tier:gold}, {@code campaign:double11}, {@code cap}
 * @param effect what it did, e.g. {@code 1 pt/yuan on 128.00}, {@code ×1.5}, {@code capped 800 → 500}
 */
public record FiredRule(String rule, String effect) {
}
