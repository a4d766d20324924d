package io.tasker.bench.internal;

import io.tasker.bench.Measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code throughput}: many linear tasks in flight. {@value #CREATORS} threads create the tasks
 * in-process as fast as they can while the worker runs their steps; the rate is every step of the
 * batch over the time from the first creation to the last task's completion. The latency of each
 * task under that load is reported too. Completions are polled ({@link CompletionPoller}), so the
 * end is known to within its interval.
 */
final class ThroughputScenario implements Scenario {
    static final int CREATORS = 4;
    private static final int STEPS_PER_TASK = 4;

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String description() {
        return "linear tasks created by " + CREATORS + " threads while the worker runs them: steps/s until all complete";
    }

    /** What one batch did. */
    private record Batch(int tasks, long createdNanos, long finishedNanos, Latencies latencies, CpuMeter.Usage cpu) {
        double stepsPerSecond() {
            return tasks * STEPS_PER_TASK / (finishedNanos / 1e9);
        }
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        Batch batch;
        try (CompletionPoller completions = run.environment().pollCompletions();
             JavaWorker ignored = JavaWorker.start(run.environment().database(),
                     List.of(LinearJavaScenario.NAMESPACE), run.options().workerSlots())) {
            int warmup = run.options().warmupOr(400);
            if (warmup > 0) {
                run.progress().line("warmup: %d tasks", warmup);
                batch(run.environment(), completions, warmup);
                run.environment().analyze();
            }
            int tasks = run.options().tasksOr(2000);
            run.progress().line("measured: %d tasks, %d slots", tasks, run.options().workerSlots());
            batch = batch(run.environment(), completions, tasks);
        }
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of("steps/s", batch.stepsPerSecond(), "steps/s", Targets.THROUGHPUT));
        measures.add(Measure.of("tasks/s", batch.tasks() / (batch.finishedNanos() / 1e9), "tasks/s"));
        measures.add(Measure.of("creation rate", batch.tasks() / (batch.createdNanos() / 1e9), "tasks/s"));
        measures.add(Measure.of("worker slots", run.options().workerSlots(), ""));
        int steps = batch.tasks() * STEPS_PER_TASK;
        CpuMeter.Usage cpu = batch.cpu();
        measures.add(Measure.of("JVM CPU per step", cpu.jvm().toNanos() / 1e3 / steps, "us"));
        cpu.postgres().ifPresent(postgres -> {
            measures.add(Measure.of("PostgreSQL CPU per step", postgres.toNanos() / 1e3 / steps, "us"));
            // Two cores over the CPU a step costs: what a dedicated 2-core machine could sustain at most.
            measures.add(Measure.of("2-core CPU bound", 2e9 * steps / cpu.total().toNanos(), "steps/s"));
        });
        measures.addAll(batch.latencies().measures("task latency under load", Latencies.Unit.MILLIS, false, null,
                null));
        return measures;
    }

    private static Batch batch(BenchEnvironment environment, TaskCompletions completions, int tasks)
            throws Exception {
        CountDownLatch finished = new CountDownLatch(tasks);
        AtomicLong lastFinish = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> failure = new AtomicReference<>();
        Latencies latencies = new Latencies();
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS,
                Thread.ofPlatform().daemon().name("tasker-bench-creator-", 1).factory());
        CpuMeter cpu = environment.cpuMeter();
        long start = System.nanoTime();
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int c = 0; c < CREATORS; c++) {
                int share = tasks / CREATORS + (c < tasks % CREATORS ? 1 : 0);
                created.add(creators.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        long begun = System.nanoTime();
                        UUID taskId = environment.createLinearTask(LinearJavaScenario.NAMESPACE,
                                LinearJavaScenario.TEMPLATE);
                        completions.expect(taskId).thenAccept(done -> {
                            if (!done.complete()) {
                                failure.compareAndSet(null, "task " + done.taskId() + " ended " + done.state());
                            }
                            latencies.record(done.atNanos() - begun);
                            lastFinish.accumulateAndGet(done.atNanos(), Math::max);
                            finished.countDown();
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> creator : created) {
                creator.get();
            }
            long createdNanos = System.nanoTime() - start;
            Duration timeout = Duration.ofSeconds(60).plusMillis(tasks * 50L);
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(finished.getCount() + " of " + tasks + " tasks did not finish within "
                        + timeout);
            }
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            return new Batch(tasks, createdNanos, lastFinish.get() - start, latencies, cpu.stop());
        } finally {
            creators.shutdownNow();
        }
    }
}
