package io.tasker.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.WorkerSystemHandle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The workers running in this JVM, Java or Ruby, labelled by worker id: steps handed to handlers,
 * completed, failed and withdrawn (from {@link WorkerEventSystem#counters()}), and handler slots,
 * all and busy. Workers start and stop independently of the API, so the meters follow
 * {@link WorkerBootstrap#running()} at every scrape.
 */
final class WorkerMetrics {
    private final MeterRegistry registry;
    private final Map<WorkerSystemHandle, List<Meter>> meters = new HashMap<>();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void sync() {
        List<WorkerSystemHandle> running = WorkerBootstrap.running();
        meters.entrySet().removeIf(worker -> {
            if (running.contains(worker.getKey())) {
                return false;
            }
            worker.getValue().forEach(registry::remove);
            return true;
        });
        running.forEach(worker -> meters.computeIfAbsent(worker, this::register));
    }

    private List<Meter> register(WorkerSystemHandle worker) {
        Tags tags = Tags.of("worker_id", worker.workerId());
        WorkerEventSystem events = worker.eventSystem();
        return List.of(
                counter("published", "Steps handed to a handler", events, tags,
                        WorkerEventSystem.Counters::published),
                counter("completed", "Steps whose handler succeeded", events, tags,
                        WorkerEventSystem.Counters::completed),
                counter("failed", "Steps whose handler failed (retried or not)", events, tags,
                        WorkerEventSystem.Counters::failed),
                counter("withdrawn", "Steps taken back from a handler (timed out or shut down)", events, tags,
                        WorkerEventSystem.Counters::withdrawn),
                Gauge.builder("tasker.worker.slots", worker, w -> w.config().maxConcurrentSteps())
                        .description("Handler slots: the most steps the worker runs at once")
                        .tags(tags)
                        .register(registry),
                Gauge.builder("tasker.worker.slots.busy", events, WorkerEventSystem::pendingEvents)
                        .description("Handler slots taken now: by a step, or by a handler that has not yet "
                                + "returned from a cancelled one")
                        .tags(tags)
                        .register(registry),
                Gauge.builder("tasker.worker.handlers.stuck", worker, WorkerSystemHandle::stuckHandlers)
                        .description("Handler threads that did not stop after their step was cancelled")
                        .tags(tags)
                        .register(registry));
    }

    private Meter counter(String event, String description, WorkerEventSystem events, Tags tags,
                          ToLongFunction<WorkerEventSystem.Counters> count) {
        return FunctionCounter.builder("tasker.worker.steps." + event, events, e -> count.applyAsLong(e.counters()))
                .description(description)
                .tags(tags)
                .register(registry);
    }
}
