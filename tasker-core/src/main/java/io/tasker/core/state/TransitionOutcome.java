package io.tasker.core.state;

import java.util.UUID;

/**
 * What a compare-and-swap transition did. Losing a race or asking for a transition the state
 * machine forbids are ordinary outcomes the caller decides about, not exceptions.
 */
public sealed interface TransitionOutcome<S> {

    /** The row was in {@code from} and is now in {@code to}; one history row was appended. */
    record Applied<S>(S from, S to) implements TransitionOutcome<S> {}

    /** The state machine forbids {@code from → to}; the database was not touched. */
    record Illegal<S>(S from, S to) implements TransitionOutcome<S> {}

    /**
     * The row was not in {@code expected}: another transaction changed it first. {@code actual}
     * is the state read right after, so it can equal {@code expected} if the row moved away and back.
     */
    record Conflict<S>(S expected, S actual) implements TransitionOutcome<S> {}

    /** No row has this id. */
    record NotFound<S>(UUID id) implements TransitionOutcome<S> {}

    default boolean applied() {
        return this instanceof Applied;
    }
}
