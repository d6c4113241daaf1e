package io.siyu.engine.member;

import java.util.Map;

/**
 * An idempotency key (order id, refund id, redemption id) came again with different content: that is not a retry,
 * and answering with the original result would hide the caller's bug.
 */
public final class IdempotencyKeyReusedException extends MemberRefusal {

    private final String field;
    private final String key;

    IdempotencyKeyReusedException(String field, String key) {
        super(field + " " + key + " was already used for a different request");
        this.field = field;
        this.key = key;
    }

    @Override
    public String type() {
        return "idempotency-key-reused";
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("field", field, "key", key);
    }
}
