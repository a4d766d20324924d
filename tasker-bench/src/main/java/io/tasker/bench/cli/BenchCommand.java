package io.tasker.bench.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tasker.bench.BenchmarkOptions;
import io.tasker.bench.BenchmarkReport;
import io.tasker.bench.Benchmarks;
import io.tasker.bench.ResultsTable;
import io.tasker.server.cli.DurationConverter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tasker bench}: the end-to-end benchmarks, with their results table on stdout. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmarks and print each scenario's measures beside its performance target.",
                "Progress goes to stderr, the results table to stdout; the exit status is 1 if a scenario failed "
                        + "(a missed target is not a failure). Run on a quiet machine: other processes distort "
                        + "every number, which is why each scenario also reports the load average.",
                "What each scenario measures is listed under Scenarios below."})
final class BenchCommand implements Callable<Integer> {

    CommandSpec spec;

    /** Picocli hands the command its spec as it builds it: in time to list the scenarios in the help. */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        List<String> lines = new ArrayList<>();
        for (String scenario : Benchmarks.scenarioDescriptions()) {
            lines.addAll(wrap("  " + scenario, commandSpec.usageMessage().width()));
        }
        // The footer is a format string; a scenario's description may say "%".
        commandSpec.usageMessage().footerHeading("%nScenarios:%n")
                .footer(lines.stream().map(line -> line.replace("%", "%%")).toArray(String[]::new));
    }

    /**
     * Breaks a "name  description" line before {@code width}, continuing under the description:
     * picocli would wrap it too, but back at the left margin, across the column of names.
     */
    static List<String> wrap(String line, int width) {
        int indent = line.indexOf("  ", 2) + 2;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        List<String> lines = new ArrayList<>();
        String rest = line;
        while (rest.length() > width) {
            int space = rest.lastIndexOf(' ', width);
            if (space <= indent) {
                break;
            }
            lines.add(rest.substring(0, space));
            rest = " ".repeat(indent) + rest.substring(space + 1);
        }
        lines.add(rest);
        return lines;
    }

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", completionCandidates = ScenarioNames.class,
            description = "The scenarios to run, in this order (default: all but scale and soak): "
                    + "${COMPLETION-CANDIDATES}.")
    List<String> scenarios = List.of();

    @Option(names = "--database-url", paramLabel = "URL",
            description = "Benchmark on this PostgreSQL, as postgresql://user[:password]@host:port/db; it is migrated "
                    + "and gets the benchmark's tasks (default: an embedded PostgreSQL in a temporary folder, "
                    + "removed afterwards).")
    String databaseUrl;

    @Option(names = "--tasks", paramLabel = "N",
            description = "Timed tasks per scenario (events for ruby-forwarding); default: each scenario's own.")
    Integer tasks;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed tasks (or events) before the timed ones; default: each scenario's own.")
    Integer warmup;

    @Option(names = "--worker-slots", paramLabel = "N", defaultValue = "16",
            description = "Handler slots of the workers the scenarios start (default: 16, the worker's default).")
    int workerSlots;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long soak runs (default: 10m).")
    Duration soakDuration;

    @Option(names = "--sample-every", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "How often soak measures the heap (default: 1m).")
    Duration soakSampleInterval;

    @Option(names = "--seed-tasks", paramLabel = "N", defaultValue = "1000000",
            description = "Finished tasks scale writes into the database between its two measurements "
                    + "(default: 1000000).")
    int seedTasks;

    @Override
    public Integer call() {
        // Every task logs a line as it finishes, hundreds a second here: they would bury the progress
        // lines and time the console along with the engine.
        ((Logger) LoggerFactory.getLogger("io.tasker.orchestration.TaskLog")).setLevel(Level.WARN);
        BenchmarkOptions options;
        try {
            options = new BenchmarkOptions(scenarios, databaseUrl, tasks, warmup, workerSlots, soakDuration,
                    soakSampleInterval, 1, seedTasks);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BenchmarkReport report = Benchmarks.run(options, spec.commandLine().getErr());
        spec.commandLine().getOut().print(ResultsTable.format(report));
        spec.commandLine().getOut().flush();
        return report.succeeded() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    /** The scenario names for the help text; only the benchmark module knows them. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Benchmarks.scenarioNames().iterator();
        }
    }
}
