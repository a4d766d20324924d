package io.tasker.bench.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code tasker chaos} refuses before it starts anything; {@code ChaosRunTest} runs it. */
class ChaosCommandTest {

    @Test
    void fewerThanTwoWorkersOrNoTasksAreRefusedNamingEachProblem() {
        TaskerRun run = TaskerRun.of("chaos", "--workers", "1", "--tasks", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tasks must be at least 1, got 0")
                .contains("workers must be at least 2 (one is always up while another is hit), got 1");
    }

    @Test
    void helpSaysWhatItDoesAndItsDefaults() {
        TaskerRun run = TaskerRun.of("chaos", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--tasks=N").contains("(default: 1000)").contains("--rounds=N")
                .contains("--seed=N").contains("kill -9");
    }
}
