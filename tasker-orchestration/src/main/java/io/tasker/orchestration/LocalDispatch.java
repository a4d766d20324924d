package io.tasker.orchestration;

import io.tasker.core.queue.ClaimedStep;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Workers in the process that creates a task, which can take the task's first steps in the
 * creating transaction: the roots are claimed there and handed to the worker directly, with no
 * notification and no claim query in between.
 */
@FunctionalInterface
public interface LocalDispatch {
    /** No worker in this process takes new tasks' steps. */
    LocalDispatch NONE = (namespace, callables, max) -> null;

    /**
     * Up to {@code max} free slots of a worker in this process that serves {@code namespace} and
     * runs one of {@code callables}; null when none is free. A reservation must be given back with
     * {@link Reservation#dispatch}.
     */
    Reservation reserve(String namespace, Collection<String> callables, int max);

    /** Slots held for the steps a creating transaction may claim. */
    interface Reservation {
        String workerId();

        /** The handlers the worker runs; null when it runs any. */
        Collection<String> callables();

        int slots();

        Duration lease();

        /**
         * Hands the steps claimed under this reservation (possibly none) to the worker and frees
         * the slots they did not take. Called exactly once.
         */
        void dispatch(List<ClaimedStep> claimed);
    }
}
