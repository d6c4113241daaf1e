package io.siyu.engine.refusal;

import java.util.Map;

/**
 * A command an aggregate refuses for a reason the business cares about. Each refusal has a stable
 * {@link #type()} (part of the API's problem type) and the facts a caller needs to act on it.
 */
public abstract class Refusal extends RuntimeException {

    private final String type;
    private final boolean notFound;
    private final Map<String, Object> details;

    /**
     * @param type     a stable, kebab-case name of the refusal, e.g. {@code insufficient-points}
     * @param notFound whether it is about something that does not exist (404) rather than the member's state (409)
     * @param message  what happened, in words a developer can act on
     * @param details  facts for the caller, added to the problem body
     */
    protected Refusal(String type, boolean notFound, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.type = type;
        this.notFound = notFound;
        this.details = Map.copyOf(details);
    }

    public String type() {
        return type;
    }

    public boolean notFound() {
        return notFound;
    }

    /** @return the HTTP status: 404 when {@link #notFound()}, otherwise 409 unless a refusal says better */
    public int status() {
        return notFound ? 404 : 409;
    }

    public Map<String, Object> details() {
        return details;
    }
}
