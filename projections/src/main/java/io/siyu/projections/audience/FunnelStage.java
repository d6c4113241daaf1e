package io.siyu.projections.audience;

import java.util.Arrays;
import java.util.Optional;

/** The private-domain funnel, in order: from a registered member to a repeat buyer inside a WeCom group. */
public enum FunnelStage {
    REGISTERED("registered"),
    FIRST_PURCHASE("first_purchase"),
    REPEAT_PURCHASE("repeat_purchase"),
    WECOM_CONTACT("wecom_contact"),
    WECOM_GROUP("wecom_group"),
    REPEAT_AFTER_GROUP("repeat_after_group");

    private final String code;

    FunnelStage(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<FunnelStage> fromCode(String code) {
        return Arrays.stream(values()).filter(stage -> stage.code.equals(code)).findFirst();
    }
}
