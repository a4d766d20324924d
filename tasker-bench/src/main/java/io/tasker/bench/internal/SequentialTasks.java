package io.tasker.bench.internal;


import java.time.Duration;
import java.util.UUID;

/**
 * Runs tasks of one workflow one after another in-process, each created with {@code TaskCreator}
 * and awaited before the next, so every task runs on a quiet system and its latency is its own.
 */
final class SequentialTasks {
    static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);

    private final BenchEnvironment environment;
    private final TaskCompletions completions;
    private final Workflow workflow;

    SequentialTasks(BenchEnvironment environment, TaskCompletions completions, Workflow workflow) {
        this.environment = environment;
        this.completions = completions;
        this.workflow = workflow;
    }

    /**
     * Runs {@code count} tasks, recording create to finish in {@code endToEnd} and the creation
     * call alone in {@code creation}; {@code label} names them in progress lines.
     */
    void run(int count, Latencies endToEnd, Latencies creation, Progress progress, String label)
            throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            UUID taskId = environment.createTask(workflow);
            long created = System.nanoTime();
            FinishedTask finished = completions.await(taskId, TASK_TIMEOUT);
            requireComplete(finished);
            endToEnd.record(finished.atNanos() - start);
            creation.record(created - start);
            progress.count(label, i, count);
        }
    }

    static void requireComplete(FinishedTask finished) {
        if (!finished.complete()) {
            throw new IllegalStateException("task " + finished.taskId() + " ended " + finished.state()
                    + " instead of complete; see its steps with GET /v1/tasks/" + finished.taskId());
        }
    }
}
