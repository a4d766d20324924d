package io.tasker.core.state;

import java.util.Map;
import java.util.Set;

/**
 * Where a step is in its life. {@code enqueued} means claimable: the queue is the set of steps in
 * that state. {@code pending → in_progress} is a step whose last parent just completed, claimed in
 * that same transaction by the worker that recorded the parent, without a trip through the queue.
 * {@code in_progress → enqueued} is a claim given back (released, or its lease expired) or a
 * failed attempt retried at once. From {@code error} an operator retries a step
 * ({@code enqueued}), resolves it ({@code resolved_manually}) or completes it with a result
 * ({@code complete}).
 */
public enum StepState implements LifecycleState<StepState> {
    PENDING, ENQUEUED, IN_PROGRESS, WAITING_FOR_RETRY, COMPLETE, ERROR, CANCELLED, RESOLVED_MANUALLY;

    private static final Map<StepState, Set<StepState>> TRANSITIONS = StateTable.transitions(StepState.class, Map.of(
            PENDING, Set.of(ENQUEUED, IN_PROGRESS, CANCELLED),
            ENQUEUED, Set.of(IN_PROGRESS, CANCELLED),
            IN_PROGRESS, Set.of(COMPLETE, WAITING_FOR_RETRY, ERROR, ENQUEUED, CANCELLED),
            WAITING_FOR_RETRY, Set.of(ENQUEUED, ERROR, CANCELLED),
            ERROR, Set.of(ENQUEUED, RESOLVED_MANUALLY, COMPLETE, CANCELLED)));

    /**
     * Steps without dependencies are created ready to run, or already claimed by a worker of the
     * creating process; the others wait for their parents.
     */
    private static final Set<StepState> INITIAL = Set.of(PENDING, ENQUEUED, IN_PROGRESS);

    private static final Map<String, StepState> BY_DB_VALUE = StateTable.byDbValue(StepState.class);

    public static StepState fromDb(String value) {
        return StateTable.fromDb(BY_DB_VALUE, StepState.class, value);
    }

    @Override
    public Set<StepState> targets() {
        return TRANSITIONS.get(this);
    }

    @Override
    public boolean isInitial() {
        return INITIAL.contains(this);
    }

    @Override
    public String dbValue() {
        return StateTable.dbValue(this);
    }
}
