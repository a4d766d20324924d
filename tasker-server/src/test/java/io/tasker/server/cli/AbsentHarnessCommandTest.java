package io.tasker.server.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without tasker-bench.jar, as here, bench and chaos are still commands: they say how to get the harness. */
class AbsentHarnessCommandTest {

    @Test
    void runningOneSaysInOneLineHowToGetTheHarness() {
        CommandRun run = CommandRun.run(Map.of(), "bench", "linear-java", "--tasks", "3");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).hasLineCount(1)
                .startsWith("error: tasker bench is in the benchmark harness, tasker-bench.jar, which is not on the "
                        + "classpath: in a Tasker checkout run bin/tasker bench, which builds it,")
                .contains("java -cp tasker.jar:tasker-bench.jar io.tasker.server.cli.TaskerCommand bench");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theHelpListsThemAndSaysWhereTheyAre() {
        CommandRun root = CommandRun.run(Map.of(), "--help");
        CommandRun chaos = CommandRun.run(Map.of(), "chaos", "--help");

        assertThat(root.out()).contains("  bench ", "  chaos ");
        assertThat(chaos.exitCode()).isZero();
        assertThat(chaos.out()).startsWith("Usage: tasker chaos").contains("tasker-bench.jar");
    }
}
