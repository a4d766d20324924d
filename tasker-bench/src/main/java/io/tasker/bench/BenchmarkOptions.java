package io.tasker.bench;

import io.tasker.worker.WorkerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run and how much of it.
 *
 * @param scenarios scenario names in the order to run them; empty runs all but {@code scale} and {@code soak}
 * @param databaseUrl an external PostgreSQL, or null for an embedded one in a temporary folder
 * @param tasks how many timed units each scenario runs (tasks, or events for ruby-forwarding), or null
 *     for each scenario's default
 * @param warmup how many untimed units come first, or null for each scenario's default
 * @param workerSlots the handler slots of the workers the scenarios start
 * @param soakDuration how long {@code soak} runs
 * @param soakSampleInterval how often {@code soak} samples the heap
 * @param jmhForks JMH forks for the micro-benchmarks; 0 runs them in this JVM (only for checking
 *     that they work: the numbers are then less trustworthy)
 * @param seedTasks how many finished tasks {@code scale} writes into the database between its two
 *     measurements
 */
public record BenchmarkOptions(
        List<String> scenarios,
        String databaseUrl,
        Integer tasks,
        Integer warmup,
        int workerSlots,
        Duration soakDuration,
        Duration soakSampleInterval,
        int jmhForks,
        int seedTasks) {

    public static final Duration DEFAULT_SOAK_DURATION = Duration.ofMinutes(10);
    /** The history of the architecture's target: latency with 1M finished tasks. */
    public static final int DEFAULT_SEED_TASKS = 1_000_000;
    public static final Duration DEFAULT_SOAK_SAMPLE_INTERVAL = Duration.ofMinutes(1);

    public BenchmarkOptions {
        scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
        List<String> problems = new ArrayList<>();
        for (String name : scenarios) {
            if (!Benchmarks.scenarioNames().contains(name)) {
                problems.add("unknown scenario '" + name + "' (known: " + String.join(", ", Benchmarks.scenarioNames())
                        + ")");
            }
        }
        if (tasks != null && tasks < 1) {
            problems.add("tasks must be at least 1, got " + tasks);
        }
        if (warmup != null && warmup < 0) {
            problems.add("warmup must be 0 or more, got " + warmup);
        }
        if (workerSlots < 1) {
            problems.add("workerSlots must be at least 1, got " + workerSlots);
        }
        if (soakDuration == null || soakDuration.isNegative() || soakDuration.isZero()) {
            problems.add("soakDuration must be positive, got " + soakDuration);
        }
        if (soakSampleInterval == null || soakSampleInterval.isNegative() || soakSampleInterval.isZero()) {
            problems.add("soakSampleInterval must be positive, got " + soakSampleInterval);
        }
        if (jmhForks < 0) {
            problems.add("jmhForks must be 0 or more, got " + jmhForks);
        }
        if (seedTasks < 0) {
            problems.add("seedTasks must be 0 or more, got " + seedTasks);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Every default: all scenarios but scale and soak, on an embedded PostgreSQL. */
    public static BenchmarkOptions defaults() {
        return new BenchmarkOptions(List.of(), null, null, null, WorkerConfig.DEFAULT_MAX_CONCURRENT_STEPS,
                DEFAULT_SOAK_DURATION, DEFAULT_SOAK_SAMPLE_INTERVAL, 1, DEFAULT_SEED_TASKS);
    }

    public BenchmarkOptions withScenarios(List<String> names) {
        return new BenchmarkOptions(names, databaseUrl, tasks, warmup, workerSlots, soakDuration, soakSampleInterval,
                jmhForks, seedTasks);
    }

    public BenchmarkOptions withDatabaseUrl(String url) {
        return new BenchmarkOptions(scenarios, url, tasks, warmup, workerSlots, soakDuration, soakSampleInterval,
                jmhForks, seedTasks);
    }

    public BenchmarkOptions withCounts(Integer timed, Integer untimed) {
        return new BenchmarkOptions(scenarios, databaseUrl, timed, untimed, workerSlots, soakDuration,
                soakSampleInterval, jmhForks, seedTasks);
    }

    public BenchmarkOptions withWorkerSlots(int slots) {
        return new BenchmarkOptions(scenarios, databaseUrl, tasks, warmup, slots, soakDuration, soakSampleInterval,
                jmhForks, seedTasks);
    }

    public BenchmarkOptions withSoak(Duration duration, Duration sampleInterval) {
        return new BenchmarkOptions(scenarios, databaseUrl, tasks, warmup, workerSlots, duration, sampleInterval,
                jmhForks, seedTasks);
    }

    public BenchmarkOptions withJmhForks(int forks) {
        return new BenchmarkOptions(scenarios, databaseUrl, tasks, warmup, workerSlots, soakDuration,
                soakSampleInterval, forks, seedTasks);
    }

    public BenchmarkOptions withSeedTasks(int count) {
        return new BenchmarkOptions(scenarios, databaseUrl, tasks, warmup, workerSlots, soakDuration, soakSampleInterval,
                jmhForks, count);
    }

    /** The timed count for a scenario whose default is {@code scenarioDefault}. */
    public int tasksOr(int scenarioDefault) {
        return tasks != null ? tasks : scenarioDefault;
    }

    /** The untimed count for a scenario whose default is {@code scenarioDefault}. */
    public int warmupOr(int scenarioDefault) {
        return warmup != null ? warmup : scenarioDefault;
    }
}
