package io.tasker.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario with tiny counts on an embedded PostgreSQL, to prove each one works end to
 * end: three tasks each, {@code scale} seeding a few dozen, {@code throughput} with its second
 * worker process too. It asserts nothing about timings: those belong to real runs on a quiet
 * machine. {@code BenchCommandTest} runs the REST scenarios again, through the command.
 */
class BenchmarkSmokeTest {
    private static final int SEED_TASKS = 25;

    @Test
    void everyScenarioRunsAndReportsItsMeasures() {
        List<String> all = Benchmarks.scenarioNames();
        BenchmarkOptions options = BenchmarkOptions.defaults()
                .withScenarios(all)
                .withCounts(3, 1)
                .withWorkerSlots(4)
                .withSoak(Duration.ofSeconds(4), Duration.ofSeconds(1))
                .withJmhForks(0)
                .withSeedTasks(SEED_TASKS);
        StringWriter progress = new StringWriter();

        BenchmarkReport report = Benchmarks.run(options, new PrintWriter(progress, true));

        String table = ResultsTable.format(report);
        assertThat(report.results()).extracting(ScenarioResult::scenario).containsExactlyElementsOf(all);
        for (ScenarioResult result : report.results()) {
            assertThat(result.error()).as(result.scenario() + "\n" + progress).isNull();
            assertThat(result.measures()).as(result.scenario()).isNotEmpty();
            assertThat(table).contains(result.scenario());
        }
        assertThat(table).contains("create->complete p50", "POST->GET complete p50", "POST /v1/tasks p50",
                "steps per task", "commits/s, 1 client", "commits/s, 4 clients", "1 process: steps/s", "2 processes: steps/s", "steps/s as % of commit limit",
                "2 processes: steps run by the second", "1,000,000 rows in 100 workers: rows/s",
                "time per batch worker", "JVM CPU per batch worker", "after/before p50", "ruby/java p50",
                "publish->Ruby handler entry p99", "eventToRuby", "heap after GC, last");
        assertThat(measure(report, "scale", "seeded tasks")).isEqualTo(SEED_TASKS);
        assertThat(progress.toString()).contains("linear-java: measured 3/3", "diamond: measured 3/3",
                "tree: measured 3/3", "mixed: measured 3/3", "scale: seeded " + SEED_TASKS + "/" + SEED_TASKS,
                "throughput: 2 processes: measured, 3 tasks", "batch: measured 3/3");
    }

    private static double measure(BenchmarkReport report, String scenario, String name) {
        return report.results().stream().filter(r -> r.scenario().equals(scenario))
                .flatMap(r -> r.measures().stream()).filter(m -> m.name().equals(name))
                .mapToDouble(Measure::value).findFirst().orElseThrow();
    }
}
