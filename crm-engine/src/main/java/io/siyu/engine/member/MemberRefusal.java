package io.siyu.engine.member;

import java.util.Map;

/**
 * A command the member aggregate refuses for a reason the business cares about. Each refusal has a stable
 * {@link #type()} (part of the API's problem type) and the facts a caller needs to act on it.
 */
public abstract class MemberRefusal extends RuntimeException {

    protected MemberRefusal(String message) {
        super(message, null, false, false);
    }

    /** A stable, kebab-case name of the refusal, e.g. {@code insufficient-points}. */
    public abstract String type();

    /** Whether the refusal is about something that does not exist (404) rather than the member's state (409). */
    public boolean notFound() {
        return false;
    }

    /** Facts for the caller, added to the problem body. */
    public Map<String, Object> details() {
        return Map.of();
    }
}
