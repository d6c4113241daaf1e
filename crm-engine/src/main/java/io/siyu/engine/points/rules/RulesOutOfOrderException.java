package io.siyu.engine.points.rules;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A rule set was published out of order: not the next version, back-dated, or effective before its predecessor. */
public final class RulesOutOfOrderException extends Refusal {

    RulesOutOfOrderException(String message, int latestVersion) {
        super("rules-out-of-order", false, message, Map.of("latestVersion", latestVersion));
    }
}
