package io.siyu.engine.web;

/**
 * The edge stopped waiting for a command the command bus had accepted: it may still run (it is queued or running),
 * so the caller is told "pending", never "refused". Sending the same request again with the same idempotency key
 * answers its outcome once it has one.
 */
public final class CommandPendingException extends RuntimeException {

    CommandPendingException(Throwable timeout) {
        super("The command was accepted but had not finished when the edge stopped waiting", timeout, false, false);
    }
}
