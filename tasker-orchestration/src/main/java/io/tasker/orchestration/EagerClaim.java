package io.tasker.orchestration;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Lets the transaction that records a result also claim newly ready steps for the recording
 * worker (ARCHITECTURE.md step 5), so a chain of steps costs one commit per step and no wake-up.
 */
public record EagerClaim(String workerId, Collection<String> namespaces, Collection<String> callables, int maxSteps,
        Duration lease) {

    /** {@code callables}: only steps with these handler callables; null for any. */
    public EagerClaim {
        namespaces = List.copyOf(namespaces);
        callables = callables == null ? null : List.copyOf(callables);
    }

    public EagerClaim(String workerId, Collection<String> namespaces, int maxSteps, Duration lease) {
        this(workerId, namespaces, null, maxSteps, lease);
    }

    public static EagerClaim none(String workerId) {
        return new EagerClaim(workerId, List.of(), 0, Duration.ZERO);
    }
}
