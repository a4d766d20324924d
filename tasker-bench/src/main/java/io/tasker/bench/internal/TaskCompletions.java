package io.tasker.bench.internal;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How a scenario learns that its tasks finished; see the two ways in {@link CompletionWatch} and {@link CompletionPoller}. */
interface TaskCompletions {

    /**
     * The task's end, whether it already came or is still to come. Ask once per task: the entry
     * is forgotten when both sides have met.
     */
    CompletableFuture<FinishedTask> expect(UUID taskId);

    /** Waits for the task's end; fails when it does not come within {@code timeout}. */
    default FinishedTask await(UUID taskId, Duration timeout) throws InterruptedException {
        try {
            return expect(taskId).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("task " + taskId + " did not finish within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for task " + taskId + " failed: " + e.getCause(), e.getCause());
        }
    }
}
