package io.tasker.worker;

import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/** Slots bound what a worker takes, and workers sharing a database never run a step twice. */
class WorkerConcurrencyTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    @Test
    void aWorkerWithTwoSlotsNeverHoldsMoreThanTwoSteps() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: single
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: only, handler: {callable: test.Gated}}
                """, ns);
        List<UUID> tasks = IntStream.range(0, 10).mapToObj(i -> fixture.createTask(ns, "single", "{}")).toList();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        fixture.start(config(ns).maxConcurrentSteps(2), new StepHandlerRegistry().register("test.Gated",
                () -> context -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        gate.tryAcquire(30, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                    return StepHandlerResult.success(null);
                }));

        for (int finished = 0; finished < tasks.size(); finished++) {
            int expected = Math.min(2, tasks.size() - finished);
            eventually().until(() -> running.get() == expected);
            assertThat(fixture.countSteps(ns, "in_progress")).isLessThanOrEqualTo(2);
            if (expected == 2) {
                // Slot before claim: two handlers run, so the worker holds exactly two claims and no more.
                assertThat(fixture.countSteps(ns, "in_progress")).isEqualTo(2);
                assertThat(fixture.countSteps(ns, "enqueued")).isEqualTo(tasks.size() - finished - 2);
            }
            gate.release();
        }

        tasks.forEach(task -> fixture.awaitTaskState(task, "complete"));
        assertThat(mostRunning.get()).isEqualTo(2);
    }

    @Test
    void twoWorkersOnOneDatabaseRunEveryStepExactlyOnce() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: diamond
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: start, handler: {callable: test.Count}}
                  - {name: left, handler: {callable: test.Count}, depends_on: [start]}
                  - {name: right, handler: {callable: test.Count}, depends_on: [start]}
                  - {name: join, handler: {callable: test.Count}, depends_on: [left, right]}
                """, ns);
        Map<UUID, AtomicInteger> runsByStep = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runsByWorker = new ConcurrentHashMap<>();
        List<UUID> tasks = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> tasks.add(fixture.createTask(ns, "diamond", "{}")));
        for (String workerId : List.of("worker-one", "worker-two")) {
            fixture.start(config(ns).workerId(workerId).maxConcurrentSteps(4), new StepHandlerRegistry()
                    .register("test.Count", () -> context -> {
                        runsByStep.computeIfAbsent(context.stepUuid(), id -> new AtomicInteger()).incrementAndGet();
                        runsByWorker.computeIfAbsent(workerId, id -> new AtomicInteger()).incrementAndGet();
                        return StepHandlerResult.success(Map.of("step", context.stepName()));
                    }));
        }
        IntStream.range(0, 40).forEach(i -> tasks.add(fixture.createTask(ns, "diamond", "{}")));

        tasks.forEach(task -> fixture.awaitTaskState(task, "complete"));
        assertThat(runsByStep).hasSize(tasks.size() * 4);
        assertThat(runsByStep.values()).allSatisfy(runs -> assertThat(runs.get()).isEqualTo(1));
        assertThat(runsByWorker.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(tasks.size() * 4);
    }
}
