package io.siyu.engine.support;

import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points Axon's static event clock at the engine's test clock before every engine test. Other tests in the same JVM
 * (aggregate fixtures, engines built by hand) set that static clock too, and an engine context cached from before
 * would otherwise stamp its events with their time instead of its own.
 */
public final class PinnedEventClock implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        GenericEventMessage.clock = TestClock.SHARED;
    }
}
