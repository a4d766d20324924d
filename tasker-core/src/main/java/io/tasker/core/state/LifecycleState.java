package io.tasker.core.state;

import java.util.Set;

/**
 * A state of a task or a step. Each state knows the states it may move to; that table is the one
 * source of truth for what a transition may do, checked in Java before any SQL runs.
 */
public sealed interface LifecycleState<S extends Enum<S> & LifecycleState<S>> permits TaskState, StepState {

    /** The states this one may move to; empty for a final state. */
    Set<S> targets();

    default boolean canTransitionTo(S target) {
        return targets().contains(target);
    }

    default boolean isFinal() {
        return targets().isEmpty();
    }

    /** Whether a task or step may be created in this state (its history then starts here). */
    boolean isInitial();

    /** The value stored in the {@code state} columns and the transition history. */
    String dbValue();
}
