package io.tasker.bench.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tasker.bench.chaos.ChaosOptions;
import io.tasker.bench.chaos.ChaosReport;
import io.tasker.bench.chaos.ChaosRun;
import io.tasker.server.cli.DurationConverter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code tasker chaos}: the chaos run, with its report on stdout. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Run tasks through a server and several worker processes while killing and restarting them "
                + "and PostgreSQL, then check from the data that nothing was lost, wrong, recorded twice or run "
                + "twice at once.",
                "Everything runs on this machine, on loopback, on a PostgreSQL of the run's own. Progress goes to "
                        + "stderr, the report to stdout; the exit status is 1 if a check failed. "
                        + "docs/reliability.md says what is checked and how."})
final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", paramLabel = "N", description = "Tasks to run (default: 1000).")
    int tasks = ChaosOptions.DEFAULT_TASKS;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker processes, each with a Java and a Ruby worker; at least 2 (default: 2).")
    int workers = ChaosOptions.DEFAULT_WORKERS;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Fault rounds; each is one fault of each kind in a random order: kill -9 of a worker, "
                    + "SIGTERM of a worker, kill -9 of the server, a PostgreSQL restart and an immediate stop "
                    + "(default: 4).")
    int rounds = ChaosOptions.DEFAULT_ROUNDS;

    @Option(names = "--fault-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Mean time between faults (default: 8s).")
    Duration faultEvery = ChaosOptions.DEFAULT_FAULT_EVERY;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The workers' lease: how soon a killed worker's steps run again (default: 10s).")
    Duration lease = ChaosOptions.DEFAULT_LEASE;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The workers' shutdown timeout; shorter than the longest steps (3 s), so a SIGTERM "
                    + "releases some (default: 1s).")
    Duration shutdownTimeout = ChaosOptions.DEFAULT_SHUTDOWN_TIMEOUT;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The most the run may take; tasks not finished by then count as lost (default: 30m).")
    Duration timeout = ChaosOptions.DEFAULT_TIMEOUT;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of every random choice (inputs, targets, order and spacing of faults); the report "
                    + "prints it (default: from the clock).")
    Long seed;

    @Option(names = "--folder", paramLabel = "DIR",
            description = "Keep the run's database, logs, journals and report here (default: a temporary folder, "
                    + "removed after a run that passed).")
    Path folder;

    @Option(names = "--keep", description = "Keep the temporary folder of a run that passed (a failed run's is kept).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        ChaosOptions options;
        try {
            options = new ChaosOptions(tasks, workers, seed != null ? seed : System.nanoTime(), rounds, faultEvery,
                    lease, shutdownTimeout, timeout, folder, keep);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        quietExpectedComplaints();
        ChaosReport report = ChaosRun.run(options, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.format(20));
        out.flush();
        return report.passed() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * The run stops PostgreSQL under its own connection pool and under the embedded server's
     * library, which then log what they cannot know is intended (connections closed, "could not
     * stop postmaster" after an immediate stop); the report says what matters.
     */
    private static void quietExpectedComplaints() {
        ((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.OFF);
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).setLevel(Level.ERROR);
    }
}
