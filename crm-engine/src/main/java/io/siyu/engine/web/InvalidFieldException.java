package io.siyu.engine.web;

/** A request field that passed JSON binding but is still unacceptable; answered 400 naming the field. */
public final class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
