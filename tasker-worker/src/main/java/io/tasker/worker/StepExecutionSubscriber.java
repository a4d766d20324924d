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
     * and answers with {@link WorkerEventSystem#publishCompletion}; once that thread is free
     * again, the subscriber calls {@link WorkerEventSystem#handlerReturned}. Throwing here fails
     * the step (retryably).
     */
    void onStepExecution(StepExecutionEvent event);

    /**
     * The foundation stopped waiting for {@code event} (it timed out, its claim was lost, or the
     * worker is stopping). Stop its handler if possible; a completion sent for it is ignored.
     */
    default void cancel(StepExecutionEvent event) {}

    /**
     * The handler of a cancelled {@code event} has not stopped: run further steps on a new thread
     * in its place (and drop that thread again when the old one returns). False when this
     * subscriber cannot, or the handler returned meanwhile. Must not call back into the bus.
     */
    default boolean replaceStuckThread(StepExecutionEvent event) {
        return false;
    }

    /**
     * The callables this subscriber runs, or null when it cannot list them. The worker claims only
     * steps whose callable some subscriber lists, unless one of them returns null; a step nobody
     * accepts also names these in its failure.
     */
    default Collection<String> callables() {
        return null;
    }
}
