package io.siyu.engine.web;

/** The shape of ids callers send (order, refund, redemption, store ids): printable, short, no spaces. */
public final class Ids {

    public static final String PATTERN = "[A-Za-z0-9._:@-]+";
    public static final String MESSAGE = "must be 1-64 characters of letters, digits and . _ : @ -";
    public static final int MAX_LENGTH = 64;

    private Ids() {
    }
}
