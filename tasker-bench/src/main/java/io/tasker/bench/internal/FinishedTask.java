package io.tasker.bench.internal;

import java.util.UUID;

/** A task that reached a final state, and when the benchmark learned of it ({@link System#nanoTime()}). */
record FinishedTask(UUID taskId, String state, long atNanos) {
    boolean complete() {
        return "complete".equals(state);
    }
}
