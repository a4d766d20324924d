package io.tasker.bench.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tasker bench} as the command line runs it, this module's commands added to tasker's: the
 * REST scenarios with tiny counts (the smoke test runs every scenario without the command). No
 * timings are asserted.
 */
class BenchCommandTest {

    @Test
    void theRestScenariosRunThroughTheApiAndPrintATable() {
        TaskerRun run = TaskerRun.of("bench", "linear-rest", "create-rest", "--tasks", "3", "--warmup",
                "1", "--worker-slots", "4");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("linear-rest  POST->GET complete p50", "create-rest  POST /v1/tasks p50",
                "p50 <= 5 ms", "p99 <= 15 ms", "p50 <= 1.5 ms");
        assertThat(run.err()).contains("linear-rest: REST API at http://127.0.0.1:", "create-rest: measured 3/3");
    }

    @Test
    void theHelpSaysWhatEachScenarioMeasuresByItself() {
        TaskerRun run = TaskerRun.of("bench", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Scenarios:", "--seed-tasks=N", "\n  diamond  ", "\n  commit-limit  ",
                "also as % of", "\n  scale  ", "when named)");
        assertThat(run.out()).as("it points to no file a user of the jar does not have")
                .doesNotContain(".md", "docs/");
    }

    @Test
    void aNegativeSeedIsRefusedBeforeAnythingStarts() {
        TaskerRun run = TaskerRun.of("bench", "scale", "--seed-tasks", "-1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("seedTasks must be 0 or more, got -1");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownScenarioIsRefusedBeforeAnythingStarts() {
        TaskerRun run = TaskerRun.of("bench", "linear-jav");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown scenario 'linear-jav'", "linear-java");
        assertThat(run.out()).isEmpty();
    }
}
