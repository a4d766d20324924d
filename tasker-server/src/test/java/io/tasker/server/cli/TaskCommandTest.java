package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.NewTask;
import io.tasker.client.Task;
import io.tasker.client.Transition;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.server.RunningApi;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker task ...} run in-process against a running Tasker over HTTP, as a user runs them in a terminal. */
class TaskCommandTest {
    private static final Pattern TASK_ID = Pattern.compile("^task ([0-9a-f-]{36}) ", Pattern.MULTILINE);

    @RegisterExtension
    static final RunningApi api = new RunningApi();

    @Test
    void createWithWaitFollowsTheTaskToTheEndAndPrintsTheFinalValue() {
        CommandRun run = CommandRun.run(api.environment(), "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": 6}", "--wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("examples/linear_workflow@1.0.0  complete")
                .containsPattern("step_d +complete +attempts 1/3 +result \\{\"value\":" + BigInteger.valueOf(6).pow(16) + "}");
        assertThat(run.err()).contains("created task ").contains("[4/4 complete] step_d complete");
    }

    @Test
    void createWithWaitExitsWith1WhenTheTaskFailsAndShowsWhy() {
        CommandRun run = CommandRun.run(api.environment(), "task", "create", "examples/order_fulfillment@1.0.0",
                "--context", "{\"order_id\": \"ORD-9\", \"invalid\": true}", "--wait", "--url", api.tasker().url());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).contains("  error")
                .containsPattern("validate_order +error +attempts 1/3 +last error: order ORD-9 is invalid: rejected by validation");
    }

    @Test
    void getShowsATaskAsTextOrJson() {
        CommandRun created = CommandRun.run(api.environment(), "task", "create", "examples/diamond_workflow",
                "--context", "{\"even_number\": 2}", "--wait");
        Matcher id = TASK_ID.matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();

        CommandRun text = CommandRun.run(api.environment(), "task", "get", id.group(1));
        CommandRun json = CommandRun.run(api.environment(), "task", "get", id.group(1), "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).isEqualTo(created.out());
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"task_uuid\" : \"" + id.group(1) + "\"").contains("\"value\" : 256");
    }

    @Test
    void createWithoutWaitPrintsTheNewTaskAndARepeatedRequestFollowsThatTask() {
        CommandRun run = CommandRun.run(api.environment(), "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": 2}", "--idempotency-key", "cli-no-wait", "--json");
        CommandRun again = CommandRun.run(api.environment(), "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": 2}", "--idempotency-key", "cli-no-wait", "--wait");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"name\" : \"linear_workflow\"");
        String id = Json.parse(run.out()).get("task_uuid").asText();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).startsWith("task " + id + " already exists for this request; showing it");
        assertThat(again.out()).startsWith("task " + id + "  examples/linear_workflow@1.0.0  complete");
    }

    @Test
    void refusalsByTheServerArePrintedWithWhatToFix() {
        CommandRun unknownTemplate = CommandRun.run(api.environment(), "task", "create", "examples/nope", "--context", "{}");
        CommandRun badContext = CommandRun.run(api.environment(), "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": \"six\"}");
        CommandRun unknownTask = CommandRun.run(api.environment(), "task", "get", UUID.randomUUID().toString());

        assertThat(unknownTemplate.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknownTemplate.err()).startsWith("error: ").contains("nope").contains("(HTTP 404)");
        assertThat(badContext.err()).contains("even_number").contains("(HTTP 400)");
        assertThat(unknownTask.err()).startsWith("error: no task ").contains("(HTTP 404)");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() {
        CommandRun badTemplate = CommandRun.run(api.environment(), "task", "create", "linear_workflow");
        CommandRun badContext = CommandRun.run(api.environment(), "task", "create", "examples/linear_workflow",
                "--context", "{even_number: 6}");

        assertThat(badTemplate.exitCode()).isNotZero();
        assertThat(badTemplate.err()).contains("NAMESPACE/NAME");
        assertThat(badContext.exitCode()).isNotZero();
        assertThat(badContext.err()).contains("--context is not valid JSON");
    }

    @Test
    void anUnreachableServerIsNamedWithAHint() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CommandRun run = CommandRun.run(Map.of(), "task", "get", UUID.randomUUID().toString(), "--url", url);

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: cannot reach Tasker at " + url
                + ": is `tasker dev` running? (or pass --url / set TASKER_URL)");
    }

    @Test
    void aUrlThatIsNotOneIsAUsageError() {
        CommandRun run = CommandRun.run(Map.of("TASKER_URL", "localhost:8080"), "task", "list");
        CommandRun badId = CommandRun.run(api.environment(), "task", "get", "01a2-not-an-id");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).startsWith("error: the Tasker URL must look like http://127.0.0.1:8080, got 'localhost:8080' "
                + "(from TASKER_URL)");
        assertThat(badId.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(badId.err()).contains("'01a2-not-an-id' is not an id; ids look like ");
    }

    @Test
    void listShowsTheNewestTasksInAlignedColumnsAndPagesWithACursor() {
        String initiator = "cli-list-" + UUID.randomUUID();
        List<String> newestFirst = new ArrayList<>();
        for (int even = 2; even <= 6; even += 2) {
            Task task = api.client().createTask(NewTask.builder("examples", "tree_workflow")
                    .context(Map.of("even_number", even)).initiator(initiator).build());
            newestFirst.addFirst(api.tasks().settled(task.taskUuid()).taskUuid().toString());
        }

        CommandRun first = CommandRun.run(api.environment(), "task", "list", "--initiator", initiator, "--limit", "2");
        Matcher cursor = Pattern.compile("add --cursor (\\S+) for the next page").matcher(first.err());
        assertThat(cursor.find()).as(first.err()).isTrue();
        CommandRun second = CommandRun.run(api.environment(), "task", "list", "--initiator", initiator, "--limit", "2",
                "--cursor", cursor.group(1));
        CommandRun all = CommandRun.run(api.environment(), "task", "list", "--initiator", initiator, "--limit", "2", "--all");

        assertThat(first.exitCode()).as(first.err()).isZero();
        AlignedTable table = AlignedTable.parse(first.out());
        assertThat(table.columns()).containsExactly("TASK", "TEMPLATE", "STATE", "STEPS", "CREATED", "DURATION",
                "LAST ERROR");
        assertThat(table.column("TASK")).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(table.column("TEMPLATE")).containsOnly("examples/tree_workflow@1.0.0");
        assertThat(table.column("STATE")).containsOnly("complete");
        assertThat(table.column("STEPS")).containsOnly("8/8");
        assertThat(table.column("CREATED")).allMatch(text -> text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertThat(table.column("DURATION")).allMatch(text -> text.matches("\\d+ ms|\\d+\\.\\d s"));
        assertThat(table.column("LAST ERROR")).containsOnly("-");
        assertThat(AlignedTable.parse(second.out()).column("TASK")).containsExactly(newestFirst.get(2));
        assertThat(second.err()).doesNotContain("--cursor");
        assertThat(AlignedTable.parse(all.out()).column("TASK")).containsExactlyElementsOf(newestFirst);
        assertThat(all.err()).isEmpty();
    }

    @Test
    void listFiltersAsTheApiDoesAndPrintsItsJson() {
        Task failed = api.tasks().failedOrder("ORD-CLI-LIST");
        String id = failed.taskUuid().toString();

        CommandRun errors = CommandRun.run(api.environment(), "task", "list", "--namespace", "examples", "--name",
                "order_fulfillment", "--state", "error,cancelled", "--id-prefix", id.substring(0, 18));
        CommandRun json = CommandRun.run(api.environment(), "task", "list", "--state", "error", "--id-prefix", id,
                "--output", "json");
        CommandRun none = CommandRun.run(api.environment(), "task", "list", "--created-to", "2000-01-01");
        CommandRun refused = CommandRun.run(api.environment(), "task", "list", "--id-prefix", "x");

        AlignedTable table = AlignedTable.parse(errors.out());
        assertThat(table.column("TASK")).containsExactly(id);
        assertThat(table.column("STEPS")).containsExactly("2/4");
        assertThat(table.column("LAST ERROR")).containsExactly(
                "process_payment: payment gateway unavailable (simulated failure 5 of 7)");
        JsonNode listed = Json.parse(json.out());
        assertThat(listed.get("tasks")).singleElement()
                .satisfies(task -> assertThat(task.at("/last_error/step_name").asText()).isEqualTo("process_payment"));
        assertThat(listed.get("next_cursor").isNull()).isTrue();
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("no tasks" + System.lineSeparator());
        assertThat(refused.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(refused.err()).startsWith("error: ").contains("(HTTP 400)");
    }

    @Test
    void cancelStopsATaskWithTheReasonInItsHistoryAndIsRefusedTheSecondTime() {
        Task failed = api.tasks().failedOrder("ORD-CLI-CANCEL");
        String id = failed.taskUuid().toString();

        CommandRun cancelled = CommandRun.run(api.environment(), "task", "cancel", id, "--reason", "customer withdrew");
        CommandRun again = CommandRun.run(api.environment(), "task", "cancel", id);

        assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
        assertThat(cancelled.err()).isEqualTo("cancelled task " + id + System.lineSeparator());
        assertThat(cancelled.out()).startsWith("task " + id + "  examples/order_fulfillment@1.0.0  cancelled")
                .containsPattern("ship_order +cancelled +attempts 0/3")
                .containsPattern("validate_order +complete +attempts 1/3");
        assertThat(api.client().transitions(failed.taskUuid())).filteredOn(Transition::isTask)
                .filteredOn(change -> change.metadata() != null)
                .extracting(change -> change.toState() + " " + change.metadata().path("reason").asText())
                .contains("cancelled customer withdrew");
        assertThat(again.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(again.err().strip()).isEqualTo("error: task " + id + " is cancelled; only a task that is pending, "
                + "in_progress or error can be cancelled (HTTP 409)");
    }

    @Test
    void watchShowsEachAttemptWithItsTimeAndWhenAWaitingStepIsRetried() {
        new TemplateRegistry(api.tasker().database().dataSource()).register(TemplateLoader.parse("""
                namespace: cli_watch
                name: flaky
                version: 1.0.0
                steps:
                  - name: flaky
                    handler: {callable: test.Flaky}
                    retry: {max_attempts: 3}
                """, "test").orThrow(), "test");
        StepHandlerRegistry handlers = new StepHandlerRegistry().register("test.Flaky", () -> context -> {
            if (context.attempt() == 1) {
                throw new RetryableException("gateway down", Duration.ofSeconds(2));
            }
            return StepHandlerResult.success(Map.of("attempt", context.attempt()));
        });
        WorkerSystemHandle worker = WorkerBootstrap.bootstrap(WorkerConfig.builder().namespaces("cli_watch").build(),
                api.tasker().node().database(), handlers);
        try {
            String id = api.client().createTask(NewTask.builder("cli_watch", "flaky").build()).taskUuid().toString();

            CommandRun run = CommandRun.run(api.environment(), "task", "watch", id);

            assertThat(run.exitCode()).as(run.err()).isZero();
            String time = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";
            assertThat(run.err()).startsWith("watching task " + id + " until it is complete, error or cancelled")
                    .containsPattern("(?m)^" + time + "\\[0/1 complete] task  in_progress$")
                    .containsPattern("(?m)^" + time + "\\[0/1 complete] flaky in_progress  attempt 1/3, on worker-")
                    .containsPattern("(?m)^" + time + "\\[0/1 complete] flaky waiting_for_retry  attempt 1/3 failed: "
                            + "gateway down, retry in [12] s$")
                    .containsPattern("(?m)^" + time + "\\[0/1 complete] flaky in_progress  attempt 2/3, on worker-")
                    .containsPattern("(?m)^" + time + "\\[1/1 complete] flaky complete  attempt 2/3$")
                    .containsPattern("(?m)^" + time + "\\[1/1 complete] task  complete");
            assertThat(run.out()).startsWith("task " + id + "  cli_watch/flaky@1.0.0  complete")
                    .containsPattern("flaky +complete +attempts 2/3 +result \\{\"attempt\":2}");
        } finally {
            worker.stop();
        }
    }

    @Test
    void watchExitsWith1WhenTheTaskFailsOrTimeRunsOut() {
        Task failed = api.tasks().failedOrder("ORD-CLI-WATCH");
        Task stuck = api.tasks().deadLettered(api.tasker(), "cli_watch_stuck");

        CommandRun failedRun = CommandRun.run(api.environment(), "task", "watch", failed.taskUuid().toString());
        CommandRun stuckRun = CommandRun.run(api.environment(), "task", "watch", stuck.taskUuid().toString(),
                "--timeout", "1s");

        assertThat(failedRun.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(failedRun.err()).containsPattern("process_payment   error  attempt 5/5 failed: payment gateway "
                + "unavailable \\(simulated failure 5 of 7\\)")
                .containsPattern("\\[2/4 complete] task              error");
        assertThat(failedRun.out())
                .startsWith("task " + failed.taskUuid() + "  examples/order_fulfillment@1.0.0  error  finished "
                        + TimeText.dateTime(failed.completedAt()) + " after "
                        + TimeText.duration(Duration.between(failed.createdAt(), failed.completedAt()).toMillis()));
        assertThat(stuckRun.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(stuckRun.out()).containsPattern("wait +enqueued +attempts 0/3");
        assertThat(stuckRun.err()).endsWith("error: task " + stuck.taskUuid() + " is still in_progress after 1s; "
                + "follow it with: tasker task watch " + stuck.taskUuid() + System.lineSeparator());
    }
}
