package io.siyu.engine.refusal;

import java.util.Map;


/**
 * An idempotency key (order id, refund id, redemption id) came again with different content: that is not a retry,
 * and answering with the original result would hide the caller's bug.
 */
public final class IdempotencyKeyReusedException extends Refusal {

    public IdempotencyKeyReusedException(String field, String key) {
        super("idempotency-key-reused", false, field + " " + key + " was already used for a different request",
                Map.of("field", field, "key", key));
    }
}
