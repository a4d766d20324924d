package io.tasker.core.state;

import java.util.Map;
import java.util.Set;

/** Where a task is in its life. {@code error} is not final: a task can be retried or resolved by hand. */
public enum TaskState implements LifecycleState<TaskState> {
    PENDING, IN_PROGRESS, COMPLETE, ERROR, CANCELLED, RESOLVED_MANUALLY;

    private static final Map<TaskState, Set<TaskState>> TRANSITIONS = StateTable.transitions(TaskState.class, Map.of(
            PENDING, Set.of(IN_PROGRESS, ERROR, CANCELLED),
            IN_PROGRESS, Set.of(COMPLETE, ERROR, CANCELLED),
            ERROR, Set.of(IN_PROGRESS, RESOLVED_MANUALLY, CANCELLED)));

    /** A task starts running in the transaction that creates it. */
    private static final Set<TaskState> INITIAL = Set.of(IN_PROGRESS);

    private static final Map<String, TaskState> BY_DB_VALUE = StateTable.byDbValue(TaskState.class);

    public static TaskState fromDb(String value) {
        return StateTable.fromDb(BY_DB_VALUE, TaskState.class, value);
    }

    /**
     * Whether the task has stopped running: for good, or in {@code error} until someone acts on
     * it. Its {@code completed_at} is when it stopped; null while it runs.
     */
    public boolean hasFinished() {
        return this != PENDING && this != IN_PROGRESS;
    }

    @Override
    public Set<TaskState> targets() {
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
