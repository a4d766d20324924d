package io.tasker.core.state;

import java.util.Map;
import java.util.Set;

/**
 * Where a step is in its life. {@code enqueued} means claimable: the queue is the set of steps in
 * that state. {@code in_progress → enqueued} is a claim given back (released, or its lease
 * expired); {@code error → enqueued} is a manual retry.
 */
public enum StepState implements LifecycleState<StepState> {
    PENDING, ENQUEUED, IN_PROGRESS, WAITING_FOR_RETRY, COMPLETE, ERROR, CANCELLED, RESOLVED_MANUALLY;

    private static final Map<StepState, Set<StepState>> TRANSITIONS = StateTable.transitions(StepState.class, Map.of(
            PENDING, Set.of(ENQUEUED, CANCELLED),
            ENQUEUED, Set.of(IN_PROGRESS, CANCELLED),
            IN_PROGRESS, Set.of(COMPLETE, WAITING_FOR_RETRY, ERROR, ENQUEUED, CANCELLED),
            WAITING_FOR_RETRY, Set.of(ENQUEUED, ERROR, CANCELLED),
            ERROR, Set.of(ENQUEUED, RESOLVED_MANUALLY, CANCELLED)));

    private static final Map<String, StepState> BY_DB_VALUE = StateTable.byDbValue(StepState.class);

    public static StepState fromDb(String value) {
        return StateTable.fromDb(BY_DB_VALUE, StepState.class, value);
    }

    @Override
    public Set<StepState> targets() {
        return TRANSITIONS.get(this);
    }

    @Override
    public String dbValue() {
        return StateTable.dbValue(this);
    }
}
