package io.siyu.engine.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a caller is, as far as the API cares. A member is a Mini Program user (member token); staff are agents (WeCom
 * service staff), marketers and operators; an integration is a brand's system (POS, e-commerce, the Mini Program's
 * backend); a metrics scraper reads {@code /actuator/prometheus} and nothing else.
 */
public enum Role {
    MEMBER, AGENT, MARKETER, OPERATOR, INTEGRATION, METRICS;

    /** The name used in credentials, tokens and the API: lower case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean staff() {
        return this == AGENT || this == MARKETER || this == OPERATOR;
    }

    public static Optional<Role> fromCode(String code) {
        return Arrays.stream(values()).filter(role -> role.code().equals(code)).findFirst();
    }
}
