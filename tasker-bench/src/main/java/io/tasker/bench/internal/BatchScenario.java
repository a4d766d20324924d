package io.tasker.bench.internal;

import io.tasker.bench.Measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code batch}: the CSV batch example ({@code examples/csv_batch_processing}, Java handlers), one
 * task at a time after a warmup, in two shapes. A million rows in 100 workers of 10,000 rows, each
 * checkpointing every 2,500 rows (four runs per worker): rows per second from the creation to the
 * commit that completes the task. And 1,000 rows in 1,000 workers of one row: the handler's work
 * is nothing, so the time and CPU per worker are what a batch worker costs the engine (created in
 * the batchable step's transaction, claimed, run, recorded, read by the convergence step).
 */
final class BatchScenario implements Scenario {
    private record Shape(String label, long rows, long batchSize) {
        long workers() {
            return (rows + batchSize - 1) / batchSize;
        }

        Map<String, Object> context() {
            return Map.of("rows", rows, "batch_size", batchSize);
        }
    }

    private static final Shape ROWS = new Shape("1,000,000 rows in 100 workers", 1_000_000, 10_000);
    private static final Shape WORKERS = new Shape("1,000 one-row workers", 1_000, 1);
    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String description() {
        return "CSV batch example (Java): " + ROWS.label() + ", rows/s create -> complete; " + WORKERS.label()
                + ", overhead per batch worker";
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        BenchEnvironment environment = run.environment();
        Latencies rows = new Latencies();
        Latencies workers = new Latencies();
        List<CpuMeter.Usage> workersCpu = new ArrayList<>();
        try (CompletionWatch completions = environment.watchCompletions();
             JavaWorker ignored = JavaWorker.start(environment.database(), List.of(Workflow.CSV_BATCH.namespace()),
                     run.options().workerSlots())) {
            int warmup = run.options().warmupOr(3);
            for (int i = 1; i <= warmup; i++) {
                runOnce(environment, completions, ROWS);
                runOnce(environment, completions, WORKERS);
                run.progress().count("warmup", i, warmup);
            }
            environment.analyze();
            int rounds = run.options().tasksOr(5);
            for (int i = 1; i <= rounds; i++) {
                rows.record(runOnce(environment, completions, ROWS));
                CpuMeter cpu = environment.cpuMeter();
                workers.record(runOnce(environment, completions, WORKERS));
                workersCpu.add(cpu.stop());
                run.progress().count("measured", i, rounds);
            }
        }
        List<Measure> measures = new ArrayList<>();
        double rowsMillis = rows.percentile(50, Latencies.Unit.MILLIS);
        measures.add(Measure.of(ROWS.label() + ": create->complete p50", rowsMillis, "ms"));
        measures.add(Measure.of(ROWS.label() + ": rows/s", ROWS.rows() / (rowsMillis / 1e3), "rows/s"));
        double workersMillis = workers.percentile(50, Latencies.Unit.MILLIS);
        measures.add(Measure.of(WORKERS.label() + ": create->complete p50", workersMillis, "ms"));
        measures.add(Measure.of("time per batch worker", workersMillis * 1e3 / WORKERS.workers(), "us"));
        long measuredWorkers = workersCpu.size() * WORKERS.workers();
        Duration jvm = workersCpu.stream().map(CpuMeter.Usage::jvm).reduce(Duration.ZERO, Duration::plus);
        measures.add(Measure.of("JVM CPU per batch worker", jvm.toNanos() / 1e3 / measuredWorkers, "us"));
        if (workersCpu.stream().allMatch(usage -> usage.postgres().isPresent())) {
            Duration postgres = workersCpu.stream().map(usage -> usage.postgres().orElseThrow())
                    .reduce(Duration.ZERO, Duration::plus);
            measures.add(Measure.of("PostgreSQL CPU per batch worker", postgres.toNanos() / 1e3 / measuredWorkers,
                    "us"));
        }
        return measures;
    }

    /** Creates a task of {@code shape}, awaits it and returns the nanoseconds from creation to its completing commit. */
    private static long runOnce(BenchEnvironment environment, TaskCompletions completions, Shape shape)
            throws InterruptedException {
        long start = System.nanoTime();
        UUID taskId = environment.createTask(Workflow.CSV_BATCH, shape.context());
        FinishedTask finished = completions.await(taskId, TASK_TIMEOUT);
        SequentialTasks.requireComplete(finished);
        return finished.atNanos() - start;
    }
}
