package io.tasker.orchestration;

import io.tasker.orchestration.internal.LeaseSweeper;
import io.tasker.orchestration.internal.RetryPoller;
import io.tasker.orchestration.internal.StaleTaskSweeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The server side's background work: makes due retries claimable, recovers expired leases and
 * dead-letters stuck tasks. Readiness itself needs no poller: results advance the DAG in the
 * transaction that records them. Several orchestrators may run against one database; every
 * sweep is safe to run concurrently.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);

    private final RetryPoller retries;
    private final LeaseSweeper leases;
    private final StaleTaskSweeper staleTasks;
    private final ScheduledExecutorService scheduler;

    /** What one round of every poller and sweeper did. */
    public record SweepCounts(int retriesEnqueued, int leasesRecovered, int tasksDeadLettered) {}

    private Orchestrator(DataSource dataSource, OrchestratorOptions options, boolean schedule) {
        ResultRecorder recorder = new ResultRecorder(dataSource);
        this.retries = new RetryPoller(dataSource, options.batchSize());
        TaskLog taskLog = new TaskLog(Clock.systemUTC());
        this.leases = new LeaseSweeper(dataSource, recorder, options.batchSize(),
                taskLog::leaseExpired);
        this.staleTasks = new StaleTaskSweeper(dataSource, options.staleTaskAge(), options.batchSize());
        if (!schedule) {
            this.scheduler = null;
            return;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tasker-orchestrator");
            thread.setDaemon(true);
            return thread;
        });
        every(options.retryPollInterval(), "retry poller", retries::poll);
        every(options.leaseSweepInterval(), "lease sweeper", leases::sweep);
        every(options.staleSweepInterval(), "stale task sweeper", staleTasks::sweep);
    }

    /** Starts the pollers and sweepers on a background thread. */
    public static Orchestrator start(DataSource dataSource, OrchestratorOptions options) {
        return new Orchestrator(dataSource, options, true);
    }

    /** An orchestrator that runs only when {@link #runOnce()} is called, for tests and tools. */
    public static Orchestrator manual(DataSource dataSource, OrchestratorOptions options) {
        return new Orchestrator(dataSource, options, false);
    }

    /** Runs every poller and sweeper once, now. */
    public SweepCounts runOnce() {
        return new SweepCounts(retries.poll(), leases.sweep(), staleTasks.sweep());
    }

    private void every(Duration interval, String name, IntSupplier work) {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int n = work.getAsInt();
                if (n > 0) {
                    log.debug("{}: {} rows", name, n);
                }
            } catch (RuntimeException e) {
                // A database outage must not kill the schedule; the next round tries again.
                log.warn("{} failed: {}", name, e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
