package io.siyu.engine.eventhandling;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.common.AxonTransientException;

import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;

import me.chanjar.weixin.common.error.WxErrorException;

/**
 * The named policy that tells an outage from a failure specific to one event. An outage (the store unreachable or
 * between primaries, a timeout, WeCom busy or unreachable, the command bus full) is retried by the processor with
 * backoff and its token stays where it is, however long it lasts; anything else is specific to the event and is
 * dead-lettered for its sequence (member), so that other members go on.
 */
public final class EventFailures {

    /** MongoDB's error codes for a node that cannot serve right now (the driver's own retryable set). */
    private static final Set<Integer> RETRYABLE_MONGO_CODES = Set.of(6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600,
            11602, 13435, 13436, 63, 150, 133, 134, 112);
    /** WeCom's codes for "busy" or "slow down" and for an access token that must be fetched again. */
    private static final Set<Integer> RETRYABLE_WECOM_CODES = Set.of(-1, 45009, 45033, 42001, 40014, 41001);

    private EventFailures() {
    }

    /** True if the failure says nothing about the event: the same event would succeed once the outage is over. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
                    || cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
                    || cause instanceof MongoWriteConcernException || cause instanceof MongoExecutionTimeoutException
                    || cause instanceof MongoInterruptedException
                    || cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof RejectedExecutionException || cause instanceof AxonTransientException
                    || cause instanceof NoHandlerForCommandException) {
                return true;
            }
            if (cause instanceof MongoException mongo && (RETRYABLE_MONGO_CODES.contains(mongo.getCode())
                    || mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                    || mongo.hasErrorLabel("RetryableWriteError"))) {
                return true;
            }
            if (cause instanceof WxErrorException wecom && wecom.getError() != null
                    && RETRYABLE_WECOM_CODES.contains(wecom.getError().getErrorCode())) {
                return true;
            }
            if (cause instanceof IllegalStateException state && state.getMessage() != null
                    && state.getMessage().startsWith("Timeout on blocking read")) {
                return true; // Reactor's block(Duration) ran out
            }
        }
        return false;
    }

    /**
     * What is kept of a failure in a dead letter and in logs: its type and, for MongoDB and WeCom, the error code.
     * Exception messages are left out: MongoDB's duplicate-key message quotes the key (an openid, a phone hash).
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String code = root instanceof MongoException mongo ? " (code " + mongo.getCode() + ")"
                : root instanceof WxErrorException wecom && wecom.getError() != null
                ? " (errcode " + wecom.getError().getErrorCode() + ")" : "";
        return root == failure ? failure.getClass().getName() + code
                : failure.getClass().getName() + " caused by " + root.getClass().getName() + code;
    }
}
