package io.tasker.bench;

import java.time.Instant;
import java.util.List;

/** A whole run: where it ran, when, and each scenario's result in the order they ran. */
public record BenchmarkReport(String database, Instant started, List<ScenarioResult> results) {
    public BenchmarkReport {
        results = List.copyOf(results);
    }

    /** True when every scenario ran to its end; a missed target is not a failure. */
    public boolean succeeded() {
        return results.stream().allMatch(ScenarioResult::succeeded);
    }
}
