package io.tasker.server.cli;

import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Java handler for tests that run {@code tasker worker} in a process of its own, found there
 * through ServiceLoader: {@code test.Sleep} sleeps for the context's {@code seconds}.
 */
public final class SleepHandlers implements StepHandlerProvider {
    public static final String SLEEP = "test.Sleep";

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(SLEEP, () -> context -> {
            try {
                Thread.sleep(context.taskContext().get("seconds").asLong() * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return StepHandlerResult.success(Map.of("slept", true));
        });
    }
}
