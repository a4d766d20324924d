package io.tasker.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a chaos run goes. {@link #defaults()} is the full run of {@code tasker chaos}; every
 * setting is checked here, and all problems are named at once.
 *
 * @param tasks tasks to run, spread over the fault rounds (default 1,000)
 * @param workers worker processes, each with a Java and a Ruby worker (default 2, at least 2)
 * @param seed what every random choice follows: the tasks' inputs, which worker a fault hits, the
 *     faults' order and spacing; the same seed plans the same run
 * @param rounds fault rounds; each round is one fault of each kind, in a random order: a
 *     {@code kill -9} of a worker, a SIGTERM of a worker, a {@code kill -9} of the server, a
 *     PostgreSQL restart and an immediate stop (default 4)
 * @param faultEvery the mean time between faults (default 8 s)
 * @param lease the workers' {@code --lease} (default 10 s): how soon a killed worker's steps run again
 * @param shutdownTimeout the workers' {@code --shutdown-timeout} (default 1 s), shorter than the
 *     longest steps so that a SIGTERM leaves some to release
 * @param timeout the most the whole run may take (default 30 min); tasks not finished by then are lost
 * @param folder where the run keeps its database, logs and journals; null for a temporary folder,
 *     removed after a run that passed unless {@code keep}
 * @param keep keep the temporary folder after a run that passed (one that failed is always kept)
 */
public record ChaosOptions(int tasks, int workers, long seed, int rounds, Duration faultEvery, Duration lease,
                           Duration shutdownTimeout, Duration timeout, Path folder, boolean keep) {

    public static final int DEFAULT_TASKS = 1_000;
    public static final int DEFAULT_WORKERS = 2;
    public static final int DEFAULT_ROUNDS = 4;
    public static final Duration DEFAULT_FAULT_EVERY = Duration.ofSeconds(8);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public ChaosOptions {
        List<String> problems = new ArrayList<>();
        if (tasks < 1) {
            problems.add("tasks must be at least 1, got " + tasks);
        }
        if (workers < 2) {
            problems.add("workers must be at least 2 (one is always up while another is hit), got " + workers);
        }
        if (rounds < 0) {
            problems.add("rounds must be 0 or more, got " + rounds);
        }
        positive(problems, "fault interval", faultEvery);
        positive(problems, "lease", lease);
        positive(problems, "timeout", timeout);
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            problems.add("shutdown timeout must be zero or more, got " + shutdownTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, got " + value);
        }
    }

    /** The full run, with a seed from the clock. */
    public static ChaosOptions defaults() {
        return new ChaosOptions(DEFAULT_TASKS, DEFAULT_WORKERS, System.nanoTime(), DEFAULT_ROUNDS,
                DEFAULT_FAULT_EVERY, DEFAULT_LEASE, DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_TIMEOUT, null, false);
    }

    public ChaosOptions withTasks(int count) {
        return new ChaosOptions(count, workers, seed, rounds, faultEvery, lease, shutdownTimeout, timeout, folder,
                keep);
    }

    public ChaosOptions withRounds(int count, Duration every) {
        return new ChaosOptions(tasks, workers, seed, count, every, lease, shutdownTimeout, timeout, folder, keep);
    }

    public ChaosOptions withSeed(long value) {
        return new ChaosOptions(tasks, workers, value, rounds, faultEvery, lease, shutdownTimeout, timeout, folder,
                keep);
    }

    public ChaosOptions withFolder(Path path, boolean keepIt) {
        return new ChaosOptions(tasks, workers, seed, rounds, faultEvery, lease, shutdownTimeout, timeout, path,
                keepIt);
    }

    public ChaosOptions withTimeout(Duration value) {
        return new ChaosOptions(tasks, workers, seed, rounds, faultEvery, lease, shutdownTimeout, value, folder,
                keep);
    }
}
