package io.tasker.worker.internal;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs Java {@link StepHandler}s for the steps whose callable the registry knows, on a fixed pool
 * of long-lived threads, one per handler slot. The queue in front of the pool needs no bound: the
 * foundation publishes a step only when it holds a slot for it.
 *
 * <p>The completion is published from the handler's thread, which then records the result and,
 * when the recording transaction claimed the next step eagerly, publishes that step too; a chain
 * of steps thus runs without a thread hop between them.
 */
public final class JavaHandlerSubscriber implements StepExecutionSubscriber, AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final StepHandlerRegistry registry;
    private final WorkerEventSystem events;
    private final ExecutorService pool;
    /** Steps taken and not yet answered; a cancelled step is removed, so its late answer is never sent. */
    private final Map<UUID, FutureTask<Void>> running = new ConcurrentHashMap<>();

    public JavaHandlerSubscriber(StepHandlerRegistry registry, WorkerEventSystem events, String workerId,
            int threads) {
        this.registry = registry;
        this.events = events;
        var factory = Thread.ofPlatform().daemon().name("tasker-handler-" + workerId + "-", 1).factory();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory);
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
        FutureTask<Void> task = new FutureTask<>(() -> run(event), null);
        running.put(event.eventId(), task);
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            running.remove(event.eventId());
            throw e;
        }
    }

    @Override
    public void cancel(StepExecutionEvent event) {
        FutureTask<Void> task = running.remove(event.eventId());
        if (task != null) {
            task.cancel(true);
        }
    }

    private void run(StepExecutionEvent event) {
        StepExecutionCompletionEvent completion = execute(event);
        if (running.remove(event.eventId()) != null) {
            events.publishCompletion(completion);
        }
    }

    /** Runs the handler and turns whatever it does into a completion; never throws. */
    private StepExecutionCompletionEvent execute(StepExecutionEvent event) {
        String callable = event.taskSequenceStep().step().callable();
        try {
            StepHandler handler = registry.resolve(callable)
                    .orElseThrow(() -> new PermanentException("no Java handler is registered for '" + callable + "'"))
                    .get();
            return switch (handler.call(new StepContext(event.taskSequenceStep()))) {
                case null -> StepExecutionCompletionEvent.success(event, null, null);
                case StepHandlerResult.Success success ->
                        StepExecutionCompletionEvent.success(event, success.result(), success.metadata());
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

    private static StepExecutionCompletionEvent failure(StepExecutionEvent event, Throwable e, boolean retryable,
            Duration retryAfter) {
        return StepExecutionCompletionEvent.failure(event, ExceptionDetails.message(e), e.getClass().getName(),
                retryable, retryAfter, ExceptionDetails.of(e));
    }

    /** Interrupts handlers still running (their steps were withdrawn) and waits briefly for them. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
