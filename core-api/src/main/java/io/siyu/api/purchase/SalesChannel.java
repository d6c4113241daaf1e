package io.siyu.api.purchase;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a purchase was made. The wire name ({@link #code()}) is what the HTTP API and stored events use.
 */
public enum SalesChannel {
    MINI_PROGRAM("mini_program"),
    POS("pos"),
    TMALL("tmall"),
    JD("jd"),
    DOUYIN("douyin"),
    WECOM("wecom"),
    OTHER("other");

    private final String code;

    SalesChannel(String code) {
        this.code = code;
    }

    /** @return the channel's wire name, e.g. {@code mini_program} */
    public String code() {
        return code;
    }

    /** @return every wire name, comma-separated, for error messages */
    public static String codes() {
        return String.join(", ", Arrays.stream(values()).map(SalesChannel::code).toList());
    }

    /**
     * @param code a wire name
     * @return the channel with that wire name, if there is one
     */
    public static Optional<SalesChannel> fromCode(String code) {
        return Arrays.stream(values()).filter(channel -> channel.code.equals(code)).findFirst();
    }
}
