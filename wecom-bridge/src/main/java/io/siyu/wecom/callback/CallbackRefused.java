package io.siyu.wecom.callback;

/**
 * A callback that is not from WeCom for this corp, or not readable: refused with a reason a developer can act on,
 * and never with its payload.
 */
public final class CallbackRefused extends Exception {

    /** Why: the answer is 403 for {@code signature}, {@code receive-id} and {@code stale}, 400 for {@code malformed}. */
    public enum Reason {
        SIGNATURE, RECEIVE_ID, STALE, MALFORMED
    }

    private final Reason reason;

    public CallbackRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
