package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.core.internal.Jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code throughput}: many linear tasks in flight. {@value #CREATORS} threads create the tasks
 * in-process as fast as they can while the workers run their steps; the rate is every step of the
 * batch over the time from the first creation to the last task's completion. The latency of each
 * task under that load is reported too. Completions are polled ({@link CompletionPoller}), so the
 * end is known to within its interval.
 *
 * <p>It runs twice: with the worker of this JVM alone, then with a second worker process
 * ({@link WorkerProcess}) on the same database, the two sharing the load as two {@code tasker
 * worker}s would. Before both it measures the commit limit of the database for a few seconds
 * ({@link CommitLimit}), so each rate is also given as a fraction of what this PostgreSQL on this
 * disk can commit at all, a figure that holds from machine to machine better than the rate does.
 */
final class ThroughputScenario implements Scenario {
    static final int CREATORS = 4;
    private static final Duration COMMIT_LIMIT_RUN = Duration.ofSeconds(3);
    private static final String SHARE = """
            select count(*) filter (where claimed_by = ?) as theirs, count(*) as total
              from tasker_steps where task_id = any(?)
            """;

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String description() {
        return "linear tasks created by " + CREATORS + " threads while 1, then 2 worker processes run them: "
                + "steps/s until all complete, also as % of the commit limit";
    }

    /** What one batch did. */
    private record Batch(List<UUID> taskIds, int steps, long createdNanos, long finishedNanos, Latencies latencies,
            CpuMeter.Usage cpu) {
        int tasks() {
            return taskIds.size();
        }

        double stepsPerSecond() {
            return steps / (finishedNanos / 1e9);
        }
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        BenchEnvironment environment = run.environment();
        int slots = run.options().workerSlots();
        String namespace = Workflow.LINEAR.namespace();
        // Before any worker runs, so the clients have the database to themselves.
        run.progress().line("commit limit: %d clients for %d s", CommitLimitScenario.CLIENTS,
                COMMIT_LIMIT_RUN.toSeconds());
        CommitLimit.Result limit = CommitLimit.measure(environment, CommitLimitScenario.CLIENTS, COMMIT_LIMIT_RUN);
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of("commit limit, " + CommitLimitScenario.CLIENTS + " clients", limit.perSecond(),
                "commits/s"));
        measures.add(Measure.of("worker slots per process", slots, ""));
        try (CompletionPoller completions = environment.pollCompletions();
             JavaWorker ignored = JavaWorker.start(environment.database(), List.of(namespace), slots)) {
            Batch one = warmAndMeasure(run, completions, List.of(), "1 process");
            measures.addAll(measures("1 process", one, limit, "JVM CPU per step"));
            run.progress().line("starting a second worker process (its output goes to a temporary file)");
            try (WorkerProcess second = WorkerProcess.start(environment.database().url(), namespace, slots)) {
                Batch two = warmAndMeasure(run, completions, List.of(second.handle()), "2 processes");
                measures.addAll(measures("2 processes", two, limit, "JVM CPU per step (both JVMs)"));
                measures.add(Measure.of("2 processes: steps run by the second", share(environment, two,
                        second.workerId()), "%"));
            }
        }
        return measures;
    }

    private static Batch warmAndMeasure(Run run, TaskCompletions completions, List<ProcessHandle> otherWorkers,
            String label) throws Exception {
        // Long enough for the JIT to finish compiling the step path: a shorter warmup measures the
        // compiler too (a fifth of the JVM's CPU in a 400-task warmup run).
        int warmup = run.options().warmupOr(2000);
        if (warmup > 0) {
            run.progress().line("%s: warmup, %d tasks", label, warmup);
            batch(run.environment(), completions, warmup, otherWorkers);
            run.environment().analyze();
        }
        int tasks = run.options().tasksOr(4000);
        run.progress().line("%s: measured, %d tasks, %d slots each", label, tasks, run.options().workerSlots());
        return batch(run.environment(), completions, tasks, otherWorkers);
    }

    private static List<Measure> measures(String label, Batch batch, CommitLimit.Result limit, String jvmCpu) {
        List<Measure> measures = new ArrayList<>();
        String prefix = label + ": ";
        measures.add(Measure.of(prefix + "steps/s", batch.stepsPerSecond(), "steps/s", Targets.THROUGHPUT));
        measures.add(Measure.of(prefix + "steps/s as % of commit limit", 100 * batch.stepsPerSecond()
                / limit.perSecond(), "%", Targets.COMMIT_LIMIT_SHARE));
        measures.add(Measure.of(prefix + "tasks/s", batch.tasks() / (batch.finishedNanos() / 1e9), "tasks/s"));
        measures.add(Measure.of(prefix + "creation rate", batch.tasks() / (batch.createdNanos() / 1e9), "tasks/s"));
        CpuMeter.Usage cpu = batch.cpu();
        measures.add(Measure.of(prefix + jvmCpu, cpu.jvm().toNanos() / 1e3 / batch.steps(), "us",
                Targets.JVM_CPU_PER_STEP));
        cpu.postgres().ifPresent(postgres -> {
            measures.add(Measure.of(prefix + "PostgreSQL CPU per step", postgres.toNanos() / 1e3 / batch.steps(),
                    "us", Targets.POSTGRES_CPU_PER_STEP));
            // Two cores over the CPU a step costs: what a dedicated 2-core machine could sustain at most.
            measures.add(Measure.of(prefix + "2-core CPU bound", 2e9 * batch.steps() / cpu.total().toNanos(),
                    "steps/s"));
        });
        measures.addAll(batch.latencies().measures(prefix + "task latency under load", Latencies.Unit.MILLIS, false,
                null, null));
        return measures;
    }

    /** The share of the batch's steps that {@code workerId} ran, from the claim each step row keeps. */
    private static double share(BenchEnvironment environment, Batch batch, String workerId) {
        return Jdbc.withConnection(environment.database().dataSource(), c -> Jdbc.queryOne(c, SHARE,
                row -> 100.0 * row.getLong("theirs") / Math.max(1, row.getLong("total")), workerId,
                Jdbc.uuidArray(batch.taskIds()))).orElse(0.0);
    }

    private static Batch batch(BenchEnvironment environment, TaskCompletions completions, int tasks,
            List<ProcessHandle> otherWorkers) throws Exception {
        CountDownLatch finished = new CountDownLatch(tasks);
        AtomicLong lastFinish = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> failure = new AtomicReference<>();
        Latencies latencies = new Latencies();
        Queue<UUID> taskIds = new ConcurrentLinkedQueue<>();
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS,
                Thread.ofPlatform().daemon().name("tasker-bench-creator-", 1).factory());
        CpuMeter cpu = environment.cpuMeter(otherWorkers);
        long start = System.nanoTime();
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int c = 0; c < CREATORS; c++) {
                int share = tasks / CREATORS + (c < tasks % CREATORS ? 1 : 0);
                created.add(creators.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        long begun = System.nanoTime();
                        UUID taskId = environment.createTask(Workflow.LINEAR);
                        taskIds.add(taskId);
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
            return new Batch(List.copyOf(taskIds), tasks * environment.steps(Workflow.LINEAR), createdNanos,
                    lastFinish.get() - start, latencies, cpu.stop());
        } finally {
            creators.shutdownNow();
        }
    }
}
