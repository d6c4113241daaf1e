package io.siyu.engine.segment;

import java.util.Map;

import io.siyu.engine.refusal.Refusal;

/** A request named a segment that was never saved. */
public final class UnknownSegmentException extends Refusal {

    public UnknownSegmentException(String segmentId) {
        super("unknown-segment", true, "There is no segment " + segmentId, Map.of("segmentId", segmentId));
    }
}
