package io.siyu.engine.privacy;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A key rotation this engine does not know (404 {@code unknown-key-rotation}). */
public final class UnknownRotationException extends Refusal {

    public UnknownRotationException(String rotationId) {
        super("unknown-key-rotation", true, "There is no key rotation " + rotationId,
                Map.of("rotationId", rotationId));
    }
}
