package io.tasker.server.cli;

import io.tasker.worker.WorkerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The options of the commands that run workers: how claims last and how shutdown waits. */
final class WorkerOptions {
    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "On Ctrl-C or SIGTERM, how long steps in flight may still run to finish; those not done "
                    + "by then are released to run again elsewhere, no attempt counted (default: 30s).")
    Duration shutdownTimeout = WorkerConfig.DEFAULT_SHUTDOWN_TIMEOUT;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a claimed step stays this worker's without a heartbeat: after a crash, its steps "
                    + "run again elsewhere once their lease ran out (default: 30s; heartbeats every third of it).")
    Duration lease = WorkerConfig.DEFAULT_LEASE;

    /** The worker settings these options give. */
    WorkerConfig.Builder config() {
        return WorkerConfig.builder().shutdownTimeout(shutdownTimeout).lease(lease);
    }
}
