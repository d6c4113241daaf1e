package io.siyu.engine.tier;

/**
 * One tier of the programme.
 *
 * @param code      the tier's code, as events and the API name it, e.g. {@code gold}
 * @param name      its name for members, e.g. {@code 金卡}
 * @param nameEn    its English name, e.g. {@code Gold}
 * @param threshold qualifying spend in fen (or qualifying points, by the programme's basis) needed to reach it
 */
public record TierLevel(String code, String name, String nameEn, long threshold) {
}
