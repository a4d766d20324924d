package io.tasker.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario with tiny counts on an embedded PostgreSQL, to prove each one works end to
 * end. It asserts nothing about timings: those belong to real runs on a quiet machine.
 *
 * <p>The REST scenarios need the API server of tasker-server, which depends on this module; they
 * run in tasker-server's {@code BenchCommandTest}. Here they must fail with a message that says so.
 */
class BenchmarkSmokeTest {
    private static final List<String> REST = List.of("linear-rest", "create-rest");

    @Test
    void everyScenarioRunsAndReportsItsMeasures() {
        List<String> inProcess = Benchmarks.scenarioNames().stream().filter(name -> !REST.contains(name)).toList();
        List<String> all = new ArrayList<>(inProcess);
        all.addAll(REST);
        BenchmarkOptions options = BenchmarkOptions.defaults()
                .withScenarios(all)
                .withCounts(3, 1)
                .withWorkerSlots(4)
                .withSoak(Duration.ofSeconds(4), Duration.ofSeconds(1))
                .withJmhForks(0);
        StringWriter progress = new StringWriter();

        BenchmarkReport report = Benchmarks.run(options, null, new PrintWriter(progress, true));

        String table = ResultsTable.format(report);
        assertThat(report.results()).extracting(ScenarioResult::scenario).containsExactlyElementsOf(all);
        for (ScenarioResult result : report.results()) {
            if (REST.contains(result.scenario())) {
                assertThat(result.error()).as(result.scenario()).contains("tasker bench");
            } else {
                assertThat(result.error()).as(result.scenario() + "\n" + progress).isNull();
                assertThat(result.measures()).as(result.scenario()).isNotEmpty();
                assertThat(table).contains(result.scenario());
            }
        }
        assertThat(table).contains("create->complete p50", "steps/s", "ruby/java p50", "publish->Ruby handler entry p99",
                "eventToRuby", "heap after GC, last");
        assertThat(progress.toString()).contains("linear-java: measured 3/3");
    }
}
