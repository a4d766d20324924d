package io.tasker.worker;

import java.util.Collection;

/**
 * A handler layer on the {@link WorkerEventSystem}: the Java handlers, or a bridge to another
 * language's handlers. Each step goes to the first subscriber that accepts its callable.
 */
public interface StepExecutionSubscriber {

    /** Whether this subscriber runs steps whose template names {@code callable}. */
    boolean accepts(String callable);

    /**
     * Takes a step to run and returns at once: the handler runs on the subscriber's own threads
     * and answers with {@link WorkerEventSystem#publishCompletion}. Throwing here fails the step
     * (retryably).
     */
    void onStepExecution(StepExecutionEvent event);

    /**
     * The foundation stopped waiting for {@code event} (it timed out, its claim was lost, or the
     * worker is stopping). Stop its handler if possible; a completion sent for it is ignored.
     */
    default void cancel(StepExecutionEvent event) {}

    /**
     * The callables this subscriber runs, or null when it cannot list them. The worker claims only
     * steps whose callable some subscriber lists, unless one of them returns null; a step nobody
     * accepts also names these in its failure.
     */
    default Collection<String> callables() {
        return null;
    }
}
