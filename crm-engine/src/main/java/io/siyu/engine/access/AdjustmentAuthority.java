package io.siyu.engine.access;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * How large a points adjustment a caller may make: an agent up to {@code siyu.access.agent-adjustment-limit} points
 * either way per adjustment (403 {@code adjustment-needs-operator} above it); operators and integrations without this
 * limit.
 */
@Component
public class AdjustmentAuthority {

    private final long agentLimit;

    AdjustmentAuthority(AccessProperties access) {
        this.agentLimit = access.agentAdjustmentLimit();
    }

    public void check(Caller caller, long points) {
        if (caller.role() == Role.AGENT && Math.abs(points) > agentLimit) {
            throw AccessRefused.forbidden("adjustment-needs-operator", "An agent may adjust at most " + agentLimit
                    + " points at a time; ask an operator for " + Math.abs(points),
                    Map.of("limit", agentLimit, "requested", points));
        }
    }
}
