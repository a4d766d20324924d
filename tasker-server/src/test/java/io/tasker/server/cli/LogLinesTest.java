package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a real {@code tasker worker} process logs while a step fails, is retried and fails its
 * task, and while it stops: one INFO line per event with its facts, none of them with
 * {@code --log-level warn} (the Ruby layer's logger following it), JSON lines with the task and
 * step in them with {@code --log-format json}; and a SIGTERM that says what it waits for, prints
 * no warning and exits 0.
 */
class LogLinesTest {
    private static final String JAVA_TEMPLATE = """
            namespace: logging_java
            name: charge
            version: 1.0.0
            steps:
              - name: charge
                handler: {callable: %s}
                retry: {retryable: true, max_attempts: 2, backoff_base_ms: 400}
            """.formatted(GatewayHandlers.CHARGE_CARD);

    private static final String RUBY_HANDLER = """
            # frozen_string_literal: true

            module LogTest
              class ChargeCard < TaskerCore::StepHandler::Base
                def call(_step)
                  TaskerCore.logger.info('charging the card in Ruby')
                  TaskerCore.logger.warn('the Ruby card gateway is slow')
                  raise TaskerCore::Errors::PermanentError, 'card declined'
                end
              end
            end
            """;

    private static final String RUBY_TEMPLATE = """
            namespace: logging_ruby
            name: charge
            version: 1.0.0
            steps:
              - name: charge
                handler: {callable: LogTest::ChargeCard}
            """;

    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

    @Test
    void eachFailureRetryAndFinishedTaskIsOneInfoLineAndSigtermStopsQuietlyWithStatusZero(@TempDir Path dir)
            throws Exception {
        try (TestDatabase database = TestDatabases.primary().createDatabase();
             TaskerProcess worker = TaskerProcess.start(dir, Map.of(), workerArgs(database, dir, false))) {
            UUID task = create(database, "logging_java");
            awaitError(database, task, worker);

            assertThat(worker.terminate()).as(worker.output()).isZero();

            String log = worker.err();
            String step = Pattern.quote("charge of task " + task + " (logging_java/charge)");
            String error = Pattern.quote("io.tasker.worker.handler.RetryableException: card gateway down");
            Matcher retried = onlyLine(log, "INFO  TaskLog - step failed: " + step + ", attempt 1/2: " + error
                    + "; retried at (\\S+Z) \\(in (0\\.\\d{3}) s\\)");
            double delay = Double.parseDouble(retried.group(2));
            assertThat(delay).isBetween(0.2, 0.4);
            onlyLine(log, "INFO  TaskLog - retry scheduled: " + step + ", attempt 2/2 at " + retried.group(1)
                    + " \\(in " + retried.group(2) + " s\\)");
            onlyLine(log, "INFO  TaskLog - step failed: " + step + ", attempt 2/2: " + error
                    + "; not retried: all 2 attempts used");
            onlyLine(log, "INFO  TaskLog - task finished: " + task + " \\(logging_java/charge\\): error after "
                    + "\\d+\\.\\d{3} s");
            assertThat(lines(log)).filteredOn(line -> line.contains(task.toString())).hasSize(4);

            assertThat(worker.out()).contains("\nstopping\n").endsWith("stopped\n");
            assertThat(lines(log)).as("no warning while it ran and stopped")
                    .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        }
    }

    @Test
    void logLevelWarnFromTheEnvironmentLeavesOnlyWarningsAlsoFromRuby(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabases.primary().createDatabase();
             TaskerProcess worker = TaskerProcess.start(dir, Map.of("TASKER_LOG_LEVEL", "warn"),
                     workerArgs(database, dir, true))) {
            awaitError(database, create(database, "logging_java"), worker);
            awaitError(database, create(database, "logging_ruby"), worker);

            assertThat(worker.terminate()).as(worker.output()).isZero();

            List<String> log = lines(worker.err());
            assertThat(log).as(worker.output()).isNotEmpty().allMatch(line -> line.matches(TIME + "WARN .*"))
                    .anyMatch(line -> line.endsWith("TaskerCore - the Ruby card gateway is slow"));
            assertThat(worker.out()).endsWith("stopped\n");
        }
    }

    @Test
    void jsonLogLinesAreOneObjectEachWithTheTaskAndStep(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabases.primary().createDatabase();
             TaskerProcess worker = TaskerProcess.start(dir, Map.of(),
                     plus(workerArgs(database, dir, true), "--log-format", "json"))) {
            UUID javaTask = create(database, "logging_java");
            UUID rubyTask = create(database, "logging_ruby");
            awaitError(database, javaTask, worker);
            awaitError(database, rubyTask, worker);

            assertThat(worker.terminate()).as(worker.output()).isZero();

            List<JsonNode> log = lines(worker.err()).stream().map(Json::parse).toList();
            assertThat(log).as(worker.err()).allMatch(JsonNode::isObject)
                    .allMatch(line -> line.has("@timestamp") && line.has("level") && line.has("message"));
            JsonNode failed = only(log, javaTask, "step_failed", 1);
            String stepId = failed.get("step_uuid").asText();
            assertThat(failed.get("step_name").asText()).isEqualTo("charge");
            assertThat(failed.get("worker_id").asText()).startsWith("worker-");
            assertThat(failed.get("level").asText()).isEqualTo("INFO");
            assertThat(failed.get("error_type").asText()).isEqualTo("io.tasker.worker.handler.RetryableException");
            assertThat(failed.get("retry_in_ms").asLong()).isBetween(200L, 400L);
            JsonNode retry = only(log, javaTask, "retry_scheduled", 2);
            assertThat(retry.get("retry_at")).isEqualTo(failed.get("retry_at"));
            assertThat(only(log, javaTask, "task_finished", -1).get("task_state").asText()).isEqualTo("error");
            assertThat(only(log, rubyTask, "step_failed", 1).get("error_type").asText()).isEqualTo("PermanentError");

            // What the handlers themselves log names their step too.
            assertThat(log).filteredOn(line -> line.get("message").asText().equals("charging the card in Java"))
                    .hasSize(2).allMatch(line -> line.get("task_uuid").asText().equals(javaTask.toString())
                            && line.get("step_uuid").asText().equals(stepId));
            assertThat(log).filteredOn(line -> line.get("message").asText().equals("charging the card in Ruby"))
                    .singleElement().satisfies(line -> {
                        assertThat(line.get("task_uuid").asText()).isEqualTo(rubyTask.toString());
                        assertThat(line.get("step_name").asText()).isEqualTo("charge");
                        assertThat(line.get("logger_name").asText()).isEqualTo("io.tasker.ruby.TaskerCore");
                    });
        }
    }

    @Test
    void aLevelTheEnvironmentGetsWrongIsRefusedBeforeAnythingStarts() {
        CommandRun run = CommandRun.run(Map.of("TASKER_LOG_LEVEL", "loud"), "worker", "--database-url",
                "postgresql://postgres@127.0.0.1:1/none");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: TASKER_LOG_LEVEL must be one of trace, debug, info, warn, error, "
                + "got 'loud'" + System.lineSeparator());
    }

    private static String[] workerArgs(TestDatabase database, Path dir, boolean ruby) throws IOException {
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("charge.yaml"), JAVA_TEMPLATE);
        List<String> args = new ArrayList<>(List.of("worker", "--database-url",
                commandLineUrl(database.database().url()), "--templates", templates.toString(),
                "--namespace", "logging_java", "--shutdown-timeout", "2s"));
        if (ruby) {
            Path handlers = Files.createDirectories(dir.resolve("ruby"));
            Files.writeString(handlers.resolve("charge_card.rb"), RUBY_HANDLER);
            Files.writeString(handlers.resolve("charge.yaml"), RUBY_TEMPLATE);
            args.addAll(List.of("--ruby-handlers", handlers.toString(), "--namespace", "logging_ruby"));
        }
        return args.toArray(String[]::new);
    }

    private static String[] plus(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static UUID create(TestDatabase database, String namespace) {
        TaskCreator creator = new TaskCreator(database.dataSource(), new TemplateRegistry(database.dataSource()));
        CreateTaskResult result = creator.create(TaskRequest.of(namespace, "charge",
                Json.parse("{\"n\": \"" + UUID.randomUUID() + "\"}")));
        return ((CreateTaskResult.Created) result).task().id();
    }

    /** Runs the orchestrator's sweeps (a server's job: due retries go back to the queue) until the task is in error. */
    private static void awaitError(TestDatabase database, UUID task, TaskerProcess worker) {
        Orchestrator orchestrator = Orchestrator.manual(database.dataSource(), OrchestratorOptions.DEFAULTS);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.runOnce() != null && "error".equals(Jdbc.withConnection(
                    database.dataSource(), c -> Jdbc.queryOne(c, "select state from tasker_tasks where id = ?",
                            row -> row.getString(1), task)).orElseThrow()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("task " + task + " did not end in error; the worker's output:\n"
                    + worker.output(), e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }

    /** The one line of {@code log} that is {@code pattern} after its time. */
    private static Matcher onlyLine(String log, String pattern) {
        Pattern line = Pattern.compile(TIME + pattern);
        List<Matcher> found = lines(log).stream().map(line::matcher).filter(Matcher::matches).toList();
        assertThat(found).as("lines matching %s in:%n%s", pattern, log).hasSize(1);
        return found.getFirst();
    }

    /** The one JSON line of {@code event} about {@code task} (at {@code attempt}, unless -1). */
    private static JsonNode only(List<JsonNode> log, UUID task, String event, int attempt) {
        List<JsonNode> found = log.stream().filter(line -> line.path("task_uuid").asText().equals(task.toString())
                && line.path("event").asText().equals(event)
                && (attempt < 0 || line.path("attempt").asInt() == attempt)).toList();
        assertThat(found).as("%s of task %s, attempt %s", event, task, attempt).hasSize(1);
        return found.getFirst();
    }
}
