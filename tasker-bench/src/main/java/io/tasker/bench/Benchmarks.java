package io.tasker.bench;

import io.tasker.bench.internal.BenchEnvironment;
import io.tasker.bench.internal.Progress;
import io.tasker.bench.internal.Scenario;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs benchmark scenarios on one environment: an embedded PostgreSQL in a temporary folder, or
 * the database given, with the schema migrated and the templates registered. A scenario that
 * fails is reported as failed and the next one still runs.
 */
public final class Benchmarks {
    private Benchmarks() {}

    /** Every scenario name, in the order a full run takes them. */
    public static List<String> scenarioNames() {
        return Scenario.all().stream().map(Scenario::name).toList();
    }

    /** One line per scenario, its name and what it measures, for help texts. */
    public static List<String> scenarioDescriptions() {
        int width = scenarioNames().stream().mapToInt(String::length).max().orElse(0);
        return Scenario.all().stream()
                .map(s -> s.name() + " ".repeat(width - s.name().length() + 2) + s.description()
                        + (s.runsByDefault() ? "" : " (only when named)"))
                .toList();
    }

    /**
     * Runs the scenarios {@code options} names (those that run by default when none), writing progress
     * lines to {@code progress}.
     */
    public static BenchmarkReport run(BenchmarkOptions options, PrintWriter progress) {
        List<Scenario> chosen = options.scenarios().isEmpty()
                ? Scenario.all().stream().filter(Scenario::runsByDefault).toList()
                : options.scenarios().stream().map(Benchmarks::scenario).toList();
        Instant started = Instant.now();
        Progress log = new Progress(progress, null);
        List<ScenarioResult> results = new ArrayList<>();
        try (BenchEnvironment environment = BenchEnvironment.start(options.databaseUrl(), log)) {
            for (Scenario scenario : chosen) {
                Progress scenarioLog = log.forScenario(scenario.name());
                scenarioLog.line("starting: %s", scenario.description());
                environment.resetStatements();
                try {
                    List<Measure> measures = new ArrayList<>(
                            scenario.run(new Scenario.Run(environment, options, scenarioLog)));
                    measures.add(loadAverage());
                    results.add(ScenarioResult.of(scenario.name(), measures));
                    environment.reportStatements(scenarioLog, 12);
                    scenarioLog.line("done");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(ScenarioResult.failed(scenario.name(), "interrupted"));
                    break;
                } catch (Exception | LinkageError e) {
                    scenarioLog.line("failed: %s", e);
                    results.add(ScenarioResult.failed(scenario.name(), String.valueOf(e.getMessage())));
                }
            }
            return new BenchmarkReport(environment.description(), started, results);
        }
    }

    /**
     * Other processes on the machine distort every number here; the load average at a scenario's
     * end says how busy the machine was (2.0 on two cores means fully busy).
     */
    private static Measure loadAverage() {
        return Measure.of("load average (1 min, at end)",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
    }

    private static Scenario scenario(String name) {
        return Scenario.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'"));
    }
}
