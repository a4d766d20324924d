package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.Task;
import io.tasker.core.internal.Json;
import io.tasker.server.RunningApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.tasker.server.ClientTasks.stepId;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker step ...}: finding failed steps and acting on them, against a running Tasker over HTTP. */
class StepCommandTest {
    @RegisterExtension
    static final RunningApi api = new RunningApi();

    /** The operator entries of a task's history: {@code subject action reason}. */
    private static List<String> actions(Task task) {
        return api.client().transitions(task.taskUuid()).stream()
                .filter(change -> change.metadata() != null && change.metadata().has("action"))
                .map(change -> change.subject() + " " + change.metadata().get("action").asText() + " "
                        + change.metadata().path("reason").asText())
                .toList();
    }

    @Test
    void listShowsFailedStepsAcrossTasksAsATableOrJson() {
        Task failed = api.tasks().failedOrder("ORD-CLI-STEPS");

        CommandRun table = CommandRun.run(api.environment(), "step", "list", "--namespace", "examples", "--task-name",
                "order_fulfillment", "--name", "process_payment", "--state", "error");
        CommandRun json = CommandRun.run(api.environment(), "step", "list", "--state", "error", "--limit", "1", "-o", "json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        AlignedTable steps = AlignedTable.parse(table.out());
        assertThat(steps.columns()).containsExactly("TASK", "TEMPLATE", "STEP", "STATE", "ATTEMPTS", "UPDATED",
                "LAST ERROR");
        assertThat(steps.column("TASK")).contains(failed.taskUuid().toString());
        assertThat(steps.column("TEMPLATE")).containsOnly("examples/order_fulfillment");
        assertThat(steps.column("STEP")).containsOnly("process_payment");
        assertThat(steps.column("STATE")).containsOnly("error");
        assertThat(steps.column("ATTEMPTS")).containsOnly("5/5");
        assertThat(steps.column("LAST ERROR")).contains("payment gateway unavailable (simulated failure 5 of 7)");
        JsonNode page = Json.parse(json.out());
        assertThat(page.get("steps")).singleElement()
                .satisfies(step -> assertThat(step.get("state").asText()).isEqualTo("error"));
        assertThat(page.has("next_cursor")).isTrue();
    }

    @Test
    void retryRunsAFailedStepAgainByNameAndTheTaskCompletes() {
        Task failed = api.tasks().failedOrder("ORD-CLI-RETRY");
        String id = failed.taskUuid().toString();

        CommandRun run = CommandRun.run(api.environment(), "step", "retry", id, "process_payment", "--reason",
                "the gateway is back");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEqualTo("retried step process_payment of task " + id + "; the task is in_progress"
                + System.lineSeparator());
        assertThat(run.out()).startsWith("task " + id + "  examples/order_fulfillment@1.0.0  in_progress");
        assertThat(api.tasks().settled(failed.taskUuid()).state()).isEqualTo("complete");
        assertThat(actions(failed)).contains("process_payment retry the gateway is back");
    }

    @Test
    void resolveCountsAStepGivenByItsIdAsDone() {
        Task failed = api.tasks().failedOrder("ORD-CLI-RESOLVE");
        String stepId = stepId(failed, "process_payment").toString();

        CommandRun run = CommandRun.run(api.environment(), "step", "resolve", failed.taskUuid().toString(), stepId,
                "--reason", "paid by hand", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode task = Json.parse(run.out());
        assertThat(task.get("task_uuid").asText()).isEqualTo(failed.taskUuid().toString());
        assertThat(task.get("steps")).anySatisfy(step -> {
            assertThat(step.get("step_uuid").asText()).isEqualTo(stepId);
            assertThat(step.get("state").asText()).isEqualTo("resolved_manually");
        });
        assertThat(actions(failed)).contains("process_payment resolve paid by hand");
    }

    @Test
    void completeGivesAStepItsResultAndItsChildrenSeeIt() {
        Task failed = api.tasks().failedOrder("ORD-CLI-COMPLETE");

        CommandRun run = CommandRun.run(api.environment(), "step", "complete", failed.taskUuid().toString(),
                "process_payment", "--result", "{\"order_id\": \"ORD-CLI-COMPLETE\", \"payment_id\": \"PAY-CLI\", "
                        + "\"amount\": 123456789012345678901234567890.10}");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("process_payment +complete +attempts 5/5 +result \\{.*\"payment_id\":"
                + "\"PAY-CLI\"");
        Task done = api.tasks().settled(failed.taskUuid());
        assertThat(done.state()).isEqualTo("complete");
        assertThat(done.step("process_payment").orElseThrow().results().get("amount").decimalValue())
                .isEqualByComparingTo("123456789012345678901234567890.10");
        assertThat(done.step("ship_order").orElseThrow().results().get("payment_id").asText()).isEqualTo("PAY-CLI");
    }

    @Test
    void refusalsSayWhatIsWrong() {
        Task failed = api.tasks().failedOrder("ORD-CLI-REFUSED");
        String id = failed.taskUuid().toString();

        CommandRun notInError = CommandRun.run(api.environment(), "step", "retry", id, "validate_order");
        CommandRun unknownStep = CommandRun.run(api.environment(), "step", "resolve", id, "pay");
        CommandRun noResult = CommandRun.run(api.environment(), "step", "complete", id, "process_payment");
        CommandRun badResult = CommandRun.run(api.environment(), "step", "complete", id, "process_payment", "--result",
                "{paid}");

        assertThat(notInError.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(notInError.err().strip()).isEqualTo("error: step 'validate_order' is complete; only a step in "
                + "error can be retried by hand (HTTP 409)");
        assertThat(unknownStep.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknownStep.err().strip()).isEqualTo("error: task " + id + " has no step 'pay'; its steps are "
                + "validate_order, reserve_inventory, process_payment, ship_order");
        assertThat(noResult.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(noResult.err()).startsWith("error: Missing required option: '--result=JSON'");
        assertThat(badResult.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(badResult.err()).startsWith("error: --result is not valid JSON");
        assertThat(api.client().getTask(failed.taskUuid()).state()).isEqualTo("error");
        assertThat(actions(failed)).isEmpty();
    }
}
