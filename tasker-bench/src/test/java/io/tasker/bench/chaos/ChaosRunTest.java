package io.tasker.bench.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small chaos run of {@code ./mvnw verify}: real {@code tasker server} and {@code tasker
 * worker} processes on a PostgreSQL of the run's own, one fault of each kind, and every check of
 * the full run. The checks themselves are shown to catch planted faults in {@code ChaosCheckTest}.
 */
class ChaosRunTest {

    @Test
    void tasksSurviveOneFaultOfEachKindCompleteCorrectAndRecordedOnce(@TempDir Path folder) throws Exception {
        ChaosOptions options = ChaosOptions.defaults()
                .withTasks(48)
                .withSeed(20_261_128)
                .withRounds(1, Duration.ofSeconds(2))
                .withTimeout(Duration.ofMinutes(8))
                .withFolder(folder, true);
        StringWriter progress = new StringWriter();

        ChaosReport report = ChaosRun.run(options, new PrintWriter(progress, true));

        String text = report.format(20) + "\nprogress:\n" + progress;
        // To the test's output file: the figures of the run, passed or not.
        System.out.println(text);
        assertThat(report.passed()).as(text).isTrue();
        assertThat(report.completed()).as(text).isEqualTo(48);
        assertThat(report.faultsByKind()).as(text).containsOnlyKeys("kill -9 worker", "SIGTERM worker",
                "kill -9 server", "PostgreSQL restart", "PostgreSQL immediate stop");
        assertThat(report.faults()).as(text).hasSize(5);
        assertThat(report.executions()).as(text).isGreaterThanOrEqualTo(report.steps());
    }
}
