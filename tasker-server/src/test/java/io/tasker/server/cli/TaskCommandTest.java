package io.tasker.server.cli;

import io.tasker.core.internal.Json;
import io.tasker.server.RunningTasker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker task ...} run in-process against a running Tasker, as a user runs it in a terminal. */
class TaskCommandTest {
    private static final Pattern TASK_ID = Pattern.compile("^task ([0-9a-f-]{36}) ", Pattern.MULTILINE);

    private static RunningTasker tasker;
    private static Map<String, String> environment;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
        environment = Map.of("TASKER_URL", tasker.url());
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @Test
    void createWithWaitFollowsTheTaskToTheEndAndPrintsTheFinalValue() {
        CommandRun run = CommandRun.run(environment, "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": 6}", "--wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("examples/linear_workflow@1.0.0  complete")
                .containsPattern("step_d +complete +attempts 1/3 +result \\{\"value\":" + BigInteger.valueOf(6).pow(16) + "}");
        assertThat(run.err()).contains("created task ").contains("[4/4 complete] step_d complete");
    }

    @Test
    void createWithWaitExitsWith1WhenTheTaskFailsAndShowsWhy() {
        CommandRun run = CommandRun.run(environment, "task", "create", "examples/order_fulfillment@1.0.0",
                "--context", "{\"order_id\": \"ORD-9\", \"invalid\": true}", "--wait", "--url", tasker.url());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).contains("  error")
                .containsPattern("validate_order +error +attempts 1/3 +last error: order ORD-9 is invalid: rejected by validation");
    }

    @Test
    void getShowsATaskAsTextOrJson() {
        CommandRun created = CommandRun.run(environment, "task", "create", "examples/diamond_workflow",
                "--context", "{\"even_number\": 2}", "--wait");
        Matcher id = TASK_ID.matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();

        CommandRun text = CommandRun.run(environment, "task", "get", id.group(1));
        CommandRun json = CommandRun.run(environment, "task", "get", id.group(1), "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).isEqualTo(created.out());
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"task_uuid\" : \"" + id.group(1) + "\"").contains("\"value\" : 256");
    }

    @Test
    void createWithoutWaitPrintsTheNewTaskAndARepeatedRequestFollowsThatTask() {
        CommandRun run = CommandRun.run(environment, "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": 2}", "--idempotency-key", "cli-no-wait", "--json");
        CommandRun again = CommandRun.run(environment, "task", "create", "examples/linear_workflow",
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
        CommandRun unknownTemplate = CommandRun.run(environment, "task", "create", "examples/nope", "--context", "{}");
        CommandRun badContext = CommandRun.run(environment, "task", "create", "examples/linear_workflow",
                "--context", "{\"even_number\": \"six\"}");
        CommandRun unknownTask = CommandRun.run(environment, "task", "get", UUID.randomUUID().toString());

        assertThat(unknownTemplate.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknownTemplate.err()).startsWith("error: ").contains("nope").contains("(HTTP 404)");
        assertThat(badContext.err()).contains("even_number").contains("(HTTP 400)");
        assertThat(unknownTask.err()).startsWith("error: no task ").contains("(HTTP 404)");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() {
        CommandRun badTemplate = CommandRun.run(environment, "task", "create", "linear_workflow");
        CommandRun badContext = CommandRun.run(environment, "task", "create", "examples/linear_workflow",
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
}
