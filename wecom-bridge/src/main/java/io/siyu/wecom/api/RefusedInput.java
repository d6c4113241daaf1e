package io.siyu.wecom.api;

/**
 * WeCom refused a request because of one of its fields (a chat id it does not have): answered 400 naming the field,
 * not as WeCom being unavailable.
 */
public final class RefusedInput extends RuntimeException {

    private final String field;

    public RefusedInput(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
