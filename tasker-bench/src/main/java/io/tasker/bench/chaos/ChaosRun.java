package io.tasker.bench.chaos;

import io.tasker.bench.chaos.internal.ChaosDriver;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The chaos run behind {@code tasker chaos}: tasks of mixed DAGs, with Java and Ruby handlers,
 * run by a {@code tasker server} and several {@code tasker worker} processes on a PostgreSQL of
 * the run's own, all on this machine, while a driver kills and restarts workers ({@code kill -9}
 * and SIGTERM), kills the server and restarts PostgreSQL (fast and immediate). Every handler
 * journals each execution; at the end the run checks from the database and the journals that
 * every task completed with the right result, no result was recorded twice, no step ran
 * concurrently with itself, and which fault each re-execution is owed to.
 */
public final class ChaosRun {
    private ChaosRun() {}

    /**
     * Runs it; progress lines go to {@code progress}. A failed check is in the report, not thrown.
     *
     * @throws IOException if the run folder cannot be written
     * @throws IllegalStateException if a process cannot be started at all
     */
    public static ChaosReport run(ChaosOptions options, PrintWriter progress) throws IOException, InterruptedException {
        return ChaosDriver.run(options, progress);
    }
}
