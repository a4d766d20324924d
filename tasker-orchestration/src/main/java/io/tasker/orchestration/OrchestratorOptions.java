package io.tasker.orchestration;

import java.time.Duration;

/**
 * How often the orchestrator's pollers and sweepers run, and when a task counts as stuck.
 *
 * @param retryPollInterval how often due retries are made claimable
 * @param leaseSweepInterval how often expired leases are recovered
 * @param staleTaskAge how long an open task may go without progress before it is dead-lettered
 * @param staleSweepInterval how often stuck tasks are looked for
 * @param batchSize the most rows one sweep touches per statement
 */
public record OrchestratorOptions(
        Duration retryPollInterval,
        Duration leaseSweepInterval,
        Duration staleTaskAge,
        Duration staleSweepInterval,
        int batchSize) {

    public static final OrchestratorOptions DEFAULTS = new OrchestratorOptions(
            Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), 500);

    public OrchestratorOptions {
        requirePositive(retryPollInterval, "retryPollInterval");
        requirePositive(leaseSweepInterval, "leaseSweepInterval");
        requirePositive(staleTaskAge, "staleTaskAge");
        requirePositive(staleSweepInterval, "staleSweepInterval");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    public OrchestratorOptions withStaleTaskAge(Duration age) {
        return new OrchestratorOptions(retryPollInterval, leaseSweepInterval, age, staleSweepInterval, batchSize);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
