package io.tasker.worker.handler;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Service-provider interface: a jar lists its handlers in
 * {@code META-INF/services/io.tasker.worker.handler.StepHandlerProvider}, and workers find them
 * by the template's {@code callable}.
 */
public interface StepHandlerProvider {
    /** Handler factories by callable; each step gets a fresh instance from its factory. */
    Map<String, Supplier<? extends StepHandler>> handlers();
}
