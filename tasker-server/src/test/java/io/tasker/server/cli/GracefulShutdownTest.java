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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to a real {@code tasker worker} process with a Java and a Ruby worker, each running a
 * short and a long step: within one deadline (the shutdown timeout, shared by both workers) the
 * short steps finish and are recorded, the long ones are released without counting an attempt,
 * the process says what it waits for, prints "stopped" and exits 0.
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
        Path log = dir.resolve("worker.log");

        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Process worker = startWorker(database, templates, ruby, log);
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> output(log).contains("Press Ctrl-C to stop")
                        || !worker.isAlive());
                assertThat(worker.isAlive()).as(output(log)).isTrue();
                TaskCreator creator = new TaskCreator(database.dataSource(),
                        new TemplateRegistry(database.dataSource()));
                List<UUID> shortTasks = List.of(create(creator, "shutdown_java", 3), create(creator, "shutdown_ruby", 3));
                List<UUID> longTasks = List.of(create(creator, "shutdown_java", 600),
                        create(creator, "shutdown_ruby", 600));
                await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(database) == 4);

                worker.destroy();

                assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as(output(log)).isTrue();
                String output = output(log);
                assertThat(worker.exitValue()).as(output).isZero();
                assertThat(output).contains("stopping").contains("waiting up to 5 s for 4 steps in flight; steps not "
                        + "done by then are released to run again");
                assertThat(output.strip()).endsWith("stopped");
                for (UUID task : shortTasks) {
                    assertThat(step(database, task)).isEqualTo(Map.of("state", "complete", "attempts", 1));
                }
                for (UUID task : longTasks) {
                    assertThat(step(database, task)).isEqualTo(Map.of("state", "enqueued", "attempts", 0));
                }
            } finally {
                worker.destroyForcibly();
            }
        }
    }

    private static Process startWorker(TestDatabase database, Path templates, Path ruby, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TaskerCommand.class.getName(),
                "worker", "--database-url", commandLineUrl(database.database().url()),
                "--templates", templates.toString(), "--ruby-handlers", ruby.toString(),
                "--namespace", "shutdown_java", "--namespace", "shutdown_ruby", "--shutdown-timeout", "5s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String output(Path log) throws IOException {
        return Files.readString(log);
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
