package io.siyu.engine.privacy;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import io.siyu.api.member.MemberErased;

/**
 * Makes sure every recorded erasure is carried out: the request carries it out at once, and this handler (its own
 * processing group, so a failure waits in the dead-letter queue and is retried) finishes one a crash cut short.
 */
@Component
@ProcessingGroup(ErasureProcess.PROCESSING_GROUP)
class ErasureProcess {

    static final String PROCESSING_GROUP = "member-erasure";

    private final Erasure erasure;

    ErasureProcess(Erasure erasure) {
        this.erasure = erasure;
    }

    @EventHandler
    void on(MemberErased event) {
        erasure.complete(event.memberId());
    }
}
