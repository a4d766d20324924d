package io.tasker.server.cli;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to a real {@code tasker worker} process with a Java and a Ruby worker, each running a
 * short and a long step: within one deadline (the shutdown timeout, shared by both workers) the
 * short steps finish and are recorded, the long ones are released without counting an attempt,
 * the process says what it waits for, logs no warning, prints "stopped" and exits 0.
 */
class GracefulShutdownTest {
    private static final String RUBY_HANDLER = """
            # frozen_string_literal: true

            module ShutdownTest
              class Sleep < TaskerCore::StepHandler::Base
                def call(step)
                  sleep step.task_context.fetch('seconds')
                  { 'slept' => true }
                end
              end
            end
            """;

    private static String template(String namespace, String callable) {
        return """
                namespace: %s
                name: sleepy
                version: 1.0.0
                steps:
                  - name: sleep
                    handler: {callable: %s}
                    timeout_seconds: 300
                """.formatted(namespace, callable);
    }

    @Test
    void sigtermFinishesWhatFinishesReleasesTheRestAndExitsZero(@TempDir Path dir) throws Exception {
        Path ruby = Files.createDirectories(dir.resolve("ruby"));
        Files.writeString(ruby.resolve("sleep.rb"), RUBY_HANDLER);
        Files.writeString(ruby.resolve("sleepy.yaml"), template("shutdown_ruby", "ShutdownTest::Sleep"));
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("sleepy.yaml"), template("shutdown_java", SleepHandlers.SLEEP));

        try (TestDatabase database = TestDatabases.primary().createDatabase();
             TaskerProcess worker = TaskerProcess.start(dir, Map.of(), "worker", "--database-url",
                     commandLineUrl(database.database().url()), "--templates", templates.toString(),
                     "--ruby-handlers", ruby.toString(), "--namespace", "shutdown_java", "--namespace", "shutdown_ruby",
                     "--shutdown-timeout", "5s")) {
            TaskCreator creator = new TaskCreator(database.dataSource(), new TemplateRegistry(database.dataSource()));
            List<UUID> shortTasks = List.of(create(creator, "shutdown_java", 3), create(creator, "shutdown_ruby", 3));
            List<UUID> longTasks = List.of(create(creator, "shutdown_java", 600), create(creator, "shutdown_ruby", 600));
            await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(database) == 4);

            assertThat(worker.terminate()).as(worker.output()).isZero();

            assertThat(worker.out()).as(worker.output()).contains("stopping")
                    .contains("waiting up to 5 s for 4 steps in flight; steps not done by then are released to run "
                            + "again");
            assertThat(worker.out().strip()).endsWith("stopped");
            assertThat(worker.err().lines()).as(worker.output())
                    .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
            for (UUID task : shortTasks) {
                assertThat(step(database, task)).isEqualTo(Map.of("state", "complete", "attempts", 1));
            }
            for (UUID task : longTasks) {
                assertThat(step(database, task)).isEqualTo(Map.of("state", "enqueued", "attempts", 0));
            }
        }
    }

    /**
     * A SIGTERM while {@code tasker dev} starts PostgreSQL waits for the start, then stops what it
     * started: exit status 0, and no PostgreSQL left running on the data folder.
     */
    @Test
    void sigtermDuringTheStartStopsWhatStartedAndExitsZero(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        try (TaskerProcess dev = TaskerProcess.launch(dir, Map.of(), "dev", "--no-ruby", "--port", "0",
                "--data-dir", data.toString())) {
            await().atMost(Duration.ofMinutes(1)).until(() -> dev.out().contains("starting PostgreSQL")
                    || !dev.process().isAlive());

            assertThat(dev.terminate()).as(dev.output()).isZero();

            assertThat(dev.out()).as(dev.output()).contains("stopping once the start is done")
                    .containsPattern("stopped( before the start was done)?\n$").doesNotContain("Tasker dev is ready");
            assertThat(data.resolve("postmaster.pid")).as("PostgreSQL stopped with the process").doesNotExist();
            assertThat(dev.err().lines()).as(dev.output())
                    .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        }
    }

    private static UUID create(TaskCreator creator, String namespace, int seconds) {
        CreateTaskResult result = creator.create(TaskRequest.of(namespace, "sleepy",
                Json.parse("{\"seconds\": " + seconds + ", \"n\": \"" + UUID.randomUUID() + "\"}")));
        return ((CreateTaskResult.Created) result).task().id();
    }

    private static int inProgress(TestDatabase database) {
        return Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c,
                "select count(*) from tasker_steps where state = 'in_progress'", row -> row.getInt(1))).orElseThrow();
    }

    private static Map<String, Object> step(TestDatabase database, UUID task) {
        return Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c,
                "select state, attempts from tasker_steps where task_id = ?",
                row -> Map.<String, Object>of("state", row.getString(1), "attempts", row.getInt(2)), task))
                .orElseThrow();
    }
}
