package io.tasker.bench.chaos.internal;

import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The chaos run's Java handler, found by {@code tasker worker} through ServiceLoader. Only the
 * chaos templates, which {@code tasker chaos} registers in its own database, name it; a worker
 * on any other database never serves a step with it.
 */
public final class ChaosHandlers implements StepHandlerProvider {

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(Workflow.JAVA_CALLABLE, ChaosStep::new);
    }
}
