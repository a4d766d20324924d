package io.tasker.bench.internal;

import io.tasker.bench.Measure;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code soak}: a steady load of {@value #TASKS_PER_SECOND} linear tasks a second for the soak
 * duration, with the heap measured after a full GC at every sample interval. A leak shows as a
 * slope: the report fits a line through the samples after the first (which still holds warmup
 * allocations such as JIT and class data) and gives its growth per minute.
 */
final class SoakScenario implements Scenario {
    static final int TASKS_PER_SECOND = 100;
    /** Bounds the backlog if the worker falls behind, so the soak measures memory, not a growing queue. */
    private static final int MAX_IN_FLIGHT = 1_000;

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "a steady " + TASKS_PER_SECOND + " tasks/s for --duration, heap after GC per interval: growth per minute";
    }

    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        Duration duration = run.options().soakDuration();
        Duration interval = run.options().soakSampleInterval();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<double[]> samples = new ArrayList<>();
        AtomicLong finished = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        BenchEnvironment environment = run.environment();
        long created = 0;
        try (CompletionPoller completions = environment.pollCompletions();
             JavaWorker ignored = JavaWorker.start(environment.database(), List.of(Workflow.LINEAR.namespace()),
                     run.options().workerSlots())) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long nextSample = start + interval.toNanos();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / TASKS_PER_SECOND;
            while (System.nanoTime() < end && failure.get() == null) {
                long due = start + created * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                inFlight.acquire();
                UUID taskId = environment.createTask(Workflow.LINEAR);
                created++;
                completions.expect(taskId).thenAccept(done -> {
                    if (!done.complete()) {
                        failure.compareAndSet(null, "task " + done.taskId() + " ended " + done.state());
                    }
                    finished.incrementAndGet();
                    inFlight.release();
                });
                if (System.nanoTime() >= nextSample) {
                    double minutes = (System.nanoTime() - start) / 60e9;
                    double heapMb = heapAfterGc(memory);
                    samples.add(new double[] {minutes, heapMb});
                    run.progress().line("%.1f min: heap after GC %.1f MB, %d tasks finished", minutes, heapMb,
                            finished.get());
                    nextSample += interval.toNanos();
                }
            }
            if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException((MAX_IN_FLIGHT - inFlight.availablePermits())
                        + " tasks did not finish within 60 s of the soak's end");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of("tasks finished", finished.get(), ""));
        measures.add(Measure.of("heap samples", samples.size(), ""));
        if (!samples.isEmpty()) {
            measures.add(Measure.of("heap after GC, first", samples.getFirst()[1], "MB"));
            measures.add(Measure.of("heap after GC, last", samples.getLast()[1], "MB"));
        }
        if (samples.size() >= 3) {
            measures.add(Measure.of("heap growth", slope(samples.subList(1, samples.size())), "MB/min",
                    Targets.SOAK_GROWTH));
        }
        return measures;
    }

    private static double heapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** The least-squares slope of y over x. */
    static double slope(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxy += p[0] * p[1];
            sxx += p[0] * p[0];
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }
}
