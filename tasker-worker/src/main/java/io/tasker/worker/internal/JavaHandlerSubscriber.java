package io.tasker.worker.internal;

import io.tasker.core.LogContext;
import io.tasker.worker.HandlerThreads;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.StepExecutionSubscriber;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Runs Java {@link StepHandler}s for the steps whose callable the registry knows, on
 * {@link HandlerThreads}: one long-lived thread per handler slot.
 *
 * <p>A cancelled step's handler is interrupted; its answer is never sent. The bus learns that the thread is free when the handler returns,
 * whenever that is; a handler that ignores the interrupt keeps its thread, which the foundation may
 * have {@linkplain #replaceStuckThread replaced} meanwhile.
 *
 * <p>While a handler runs, its task, step and worker are in the MDC ({@link LogContext}), so
 * whatever it logs names them.
 */
public final class JavaHandlerSubscriber implements StepExecutionSubscriber, AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final StepHandlerRegistry registry;
    private final WorkerEventSystem events;
    private final String workerId;
    private final HandlerThreads threads;
    /** Steps taken whose thread is not done with them yet. */
    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();

    /** One step on one thread: cancelled, started, replaced and done are guarded by the monitor. */
    private final class Run implements Runnable {
        final StepExecutionEvent event;
        private Thread thread;
        private boolean cancelled;
        private boolean replaced;
        private boolean done;

        Run(StepExecutionEvent event) {
            this.event = event;
        }

        @Override
        public void run() {
            boolean start;
            synchronized (this) {
                start = !cancelled;
                thread = Thread.currentThread();
            }
            try (LogContext ignored = LogContext.step(event.taskUuid(), event.stepUuid(),
                    event.taskSequenceStep().step().name(), workerId)) {
                if (start) {
                    StepExecutionCompletionEvent completion = execute(event, this::isCancelled);
                    boolean answer;
                    synchronized (this) {
                        answer = !cancelled;
                    }
                    if (answer) {
                        events.publishCompletion(completion);
                    }
                }
            } finally {
                runs.remove(event.eventId(), this);
                boolean wasReplaced;
                synchronized (this) {
                    done = true;
                    thread = null;
                    wasReplaced = replaced;
                }
                // A cancellation that came as the handler returned must not hit the next step.
                Thread.interrupted();
                if (wasReplaced) {
                    threads.shrink();
                }
                events.handlerReturned(event.eventId());
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        synchronized boolean isCancelled() {
            return cancelled;
        }

        synchronized boolean replace() {
            if (done || replaced) {
                return false;
            }
            replaced = true;
            threads.grow();
            return true;
        }
    }

    public JavaHandlerSubscriber(StepHandlerRegistry registry, WorkerEventSystem events, String workerId,
            int threads) {
        this.registry = registry;
        this.events = events;
        this.workerId = workerId;
        this.threads = new HandlerThreads(threads,
                Thread.ofPlatform().daemon().name("tasker-handler-" + workerId + "-", 1).factory());
    }

    @Override
    public boolean accepts(String callable) {
        return registry.resolve(callable).isPresent();
    }

    @Override
    public Collection<String> callables() {
        return registry.callables();
    }

    @Override
    public void onStepExecution(StepExecutionEvent event) {
        Run run = new Run(event);
        runs.put(event.eventId(), run);
        try {
            threads.execute(run);
        } catch (RejectedExecutionException e) {
            runs.remove(event.eventId(), run);
            throw e;
        }
    }

    @Override
    public void cancel(StepExecutionEvent event) {
        Run run = runs.get(event.eventId());
        if (run != null) {
            run.cancel();
        }
    }

    /** Runs a thread in place of the one still running the cancelled {@code event}. */
    @Override
    public boolean replaceStuckThread(StepExecutionEvent event) {
        Run run = runs.get(event.eventId());
        return run != null && run.replace();
    }

    /** Runs the handler and turns whatever it does into a completion; never throws. */
    private StepExecutionCompletionEvent execute(StepExecutionEvent event, BooleanSupplier cancelled) {
        String callable = event.taskSequenceStep().step().callable();
        try {
            StepHandler handler = registry.resolve(callable)
                    .orElseThrow(() -> new PermanentException("no Java handler is registered for '" + callable + "'"))
                    .get();
            String method = event.taskSequenceStep().step().method();
            if (method != null && !method.equals("call")) {
                // Calling another method is tasker-core's Ruby dispatch; a Java handler has only call.
                throw new PermanentException("the template gives handler.method '" + method + "' for '" + callable
                        + "', which is a Java handler: Java handlers run call(StepContext); remove handler.method");
            }
            return switch (callInItsClassLoader(handler, new StepContext(event.taskSequenceStep(), cancelled))) {
                case null -> StepExecutionCompletionEvent.success(event, null, null);
                case StepHandlerResult.Success success ->
                        StepExecutionCompletionEvent.success(event, success.result(), success.metadata());
                case StepHandlerResult.Decision decision ->
                        StepExecutionCompletionEvent.success(event, decision.storedResult(), decision.metadata());
                case StepHandlerResult.Batches batches ->
                        StepExecutionCompletionEvent.success(event, batches.storedResult(), batches.metadata());
                case StepHandlerResult.CheckpointYield yield -> StepExecutionCompletionEvent.checkpoint(event,
                        yield.cursor(), yield.itemsProcessed(), yield.accumulatedResults());
                case StepHandlerResult.Failure failure -> StepExecutionCompletionEvent.failure(event,
                        failure.message(), failure.errorType(), failure.retryable(), failure.retryAfter(), null);
            };
        } catch (RetryableException e) {
            return failure(event, e, true, e.retryAfter());
        } catch (PermanentException e) {
            return failure(event, e, false, null);
        } catch (Throwable e) {
            return failure(event, e, true, null);
        }
    }

    /**
     * Runs the handler with its own class loader as the thread's context class loader, as an
     * application server does: a handler loaded from a jar of its own (tasker's {@code --handlers})
     * then finds its resources and its libraries' services the way it would in its own application.
     */
    private static StepHandlerResult callInItsClassLoader(StepHandler handler, StepContext context) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader own = handler.getClass().getClassLoader();
        thread.setContextClassLoader(own != null ? own : previous);
        try {
            return handler.call(context);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static StepExecutionCompletionEvent failure(StepExecutionEvent event, Throwable e, boolean retryable,
            Duration retryAfter) {
        return StepExecutionCompletionEvent.failure(event, ExceptionDetails.message(e), e.getClass().getName(),
                retryable, retryAfter, ExceptionDetails.of(e));
    }

    /** Interrupts handlers still running (their steps were withdrawn) and waits briefly for them. */
    @Override
    public void close() {
        threads.shutdownNow(CLOSE_WAIT);
    }
}
