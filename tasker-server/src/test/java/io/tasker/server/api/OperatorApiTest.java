package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.internal.StaleTaskSweeper;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import io.tasker.server.cli.SleepHandlers;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import io.tasker.worker.handler.StepHandlerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's side of the API over real HTTP against a running Tasker: cancel a task, retry,
 * resolve or complete a failed step, find tasks and steps with filters and pages, the dead
 * letters, a template's definition.
 */
class OperatorApiTest {
    private static RunningTasker tasker;
    private static Http http;
    private static Tasks tasks;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
        http = new Http(tasker.url());
        tasks = new Tasks(http);
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    /** An order whose payment fails more often than its step's attempts allow: it ends in error. */
    private static JsonNode failedOrder(String orderId) {
        String id = tasks.create("order_fulfillment", "{\"order_id\": \"" + orderId + "\", \"payment_failures\": 7}");
        JsonNode task = tasks.awaitFinished(id).json();
        assertThat(task.get("state").asText()).isEqualTo("error");
        return task;
    }

    private static String stepPath(JsonNode task, String step, String action) {
        return "/v1/tasks/" + task.get("task_uuid").asText() + "/steps/"
                + Tasks.step(task, step).get("step_uuid").asText() + "/" + action;
    }

    private static List<JsonNode> operatorEntries(String taskId) {
        List<JsonNode> entries = new ArrayList<>();
        http.get("/v1/tasks/" + taskId + "/transitions").json().get("transitions").forEach(entry -> {
            if (entry.get("metadata").has("action")) {
                entries.add(entry);
            }
        });
        return entries;
    }

    @Test
    void aRetriedStepRunsWithAFreshSetOfAttemptsAndTheTaskCompletes() {
        JsonNode failed = failedOrder("ORD-RETRY");
        String id = failed.get("task_uuid").asText();
        assertThat(Tasks.step(failed, "process_payment").get("attempts").asInt()).isEqualTo(5);

        Http.Response retried = http.post(stepPath(failed, "process_payment", "retry"),
                "{\"reason\": \"the gateway is back\"}");

        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        JsonNode done = tasks.awaitFinished(id).json();
        assertThat(done.get("state").asText()).isEqualTo("complete");
        JsonNode payment = Tasks.step(done, "process_payment");
        assertThat(payment.get("attempts").asInt()).as("attempts 6 and 7 fail, 8 succeeds").isEqualTo(8);
        assertThat(payment.get("max_attempts").asInt()).isEqualTo(10);
        assertThat(payment.at("/results/attempts").asInt()).isEqualTo(8);
        assertThat(operatorEntries(id)).extracting(e -> e.get("subject").asText() + " " + e.get("from_state").asText()
                        + "->" + e.get("to_state").asText() + " " + e.get("metadata").get("action").asText() + " "
                        + e.get("metadata").get("actor").asText() + " " + e.get("metadata").get("reason").asText())
                .containsExactlyInAnyOrder(
                        "process_payment error->enqueued retry anonymous the gateway is back",
                        "task error->in_progress retry anonymous the gateway is back");
    }

    @Test
    void aTaskThatEndsInErrorHasAFinishTimeWhereItsDurationEnds() {
        JsonNode failed = failedOrder("ORD-FINISHED");
        String id = failed.get("task_uuid").asText();
        Instant created = Instant.parse(failed.get("created_at").asText());
        Instant finished = Instant.parse(failed.get("completed_at").asText());

        JsonNode listed = http.get("/v1/tasks?state=error&q=" + id.substring(0, 8)).json().get("tasks").get(0);

        assertThat(finished).isAfter(created);
        assertThat(listed.get("task_uuid").asText()).isEqualTo(id);
        assertThat(listed.get("completed_at").asText()).isEqualTo(failed.get("completed_at").asText());
        assertThat(listed.get("duration_ms").asLong()).isEqualTo(Duration.between(created, finished).toMillis());
    }

    @Test
    void aStepNotInErrorCannotBeRetriedResolvedOrCompleted() {
        JsonNode failed = failedOrder("ORD-409");

        for (String action : List.of("retry", "resolve", "complete")) {
            Http.Response refused = http.post(stepPath(failed, "validate_order", action),
                    action.equals("complete") ? "{\"result\": {}}" : "{}");
            assertThat(refused.status()).as(action).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).startsWith("step 'validate_order' is complete; only a "
                    + "step in error can be");
            assertThat(refused.json().get("state").asText()).isEqualTo("complete");
        }
        assertThat(http.post("/v1/tasks/" + failed.get("task_uuid").asText() + "/steps/" + UUID.randomUUID()
                + "/retry", "").status()).isEqualTo(404);
        assertThat(http.post(stepPath(failed, "process_payment", "retry"), "{\"why\": 1}").json().get("error")
                .asText()).startsWith("unknown field why; the body takes reason");
        assertThat(http.post(stepPath(failed, "process_payment", "complete"), "{}").status()).isEqualTo(400);
        Http.Response unstorable = http.post(stepPath(failed, "process_payment", "retry"), "{\"reason\": \"\\ud800\"}");
        assertThat(unstorable.status()).isEqualTo(400);
        assertThat(unstorable.json().get("error").asText()).startsWith("reason: a string with an unpaired surrogate");
    }

    @Test
    void aStepCompletedByHandGivesItsChildrenItsResult() {
        JsonNode failed = failedOrder("ORD-COMPLETE");

        Http.Response completed = http.post(stepPath(failed, "process_payment", "complete"),
                "{\"result\": {\"order_id\": \"ORD-COMPLETE\", \"payment_id\": \"PAY-BY-HAND\", \"status\": "
                        + "\"captured\"}, \"reason\": \"paid by bank transfer\"}");

        assertThat(completed.status()).as(completed.body()).isEqualTo(200);
        JsonNode done = tasks.awaitFinished(failed.get("task_uuid").asText()).json();
        assertThat(done.get("state").asText()).isEqualTo("complete");
        assertThat(Tasks.step(done, "process_payment").at("/results/payment_id").asText()).isEqualTo("PAY-BY-HAND");
        assertThat(Tasks.step(done, "ship_order").get("state").asText()).isEqualTo("complete");
    }

    @Test
    void aResolvedStepCountsAsDoneSoItsChildrenRunWithoutItsResult() {
        JsonNode failed = failedOrder("ORD-RESOLVE");

        Http.Response resolved = http.post(stepPath(failed, "process_payment", "resolve"), "");

        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        JsonNode after = tasks.awaitFinished(failed.get("task_uuid").asText()).json();
        assertThat(Tasks.step(after, "process_payment").get("state").asText()).isEqualTo("resolved_manually");
        JsonNode ship = Tasks.step(after, "ship_order");
        assertThat(ship.get("state").asText()).as("it ran, and needs the payment's result").isEqualTo("error");
        assertThat(ship.at("/last_error/message").asText()).contains("needs the result of step process_payment");
    }

    @Test
    void cancellingATaskCancelsItsUnfinishedStepsOnceAndDeleteDoesTheSame() {
        JsonNode failed = failedOrder("ORD-CANCEL");
        String id = failed.get("task_uuid").asText();

        Http.Response cancelled = http.post("/v1/tasks/" + id + "/cancel", "{\"reason\": \"customer withdrew\"}");

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        JsonNode task = cancelled.json();
        assertThat(task.get("state").asText()).isEqualTo("cancelled");
        assertThat(Tasks.step(task, "process_payment").get("state").asText()).isEqualTo("cancelled");
        assertThat(Tasks.step(task, "ship_order").get("state").asText()).isEqualTo("cancelled");
        assertThat(Tasks.step(task, "validate_order").get("state").asText()).isEqualTo("complete");
        Http.Response again = http.post("/v1/tasks/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("task " + id + " is cancelled; only a task that is "
                + "pending, in_progress or error can be cancelled");

        String other = failedOrder("ORD-DELETE").get("task_uuid").asText();
        assertThat(http.delete("/v1/tasks/" + other).json().get("state").asText()).isEqualTo("cancelled");
        assertThat(http.delete("/v1/tasks/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void aStepRunningWhenItsTaskIsCancelledIsStoppedAndItsResultNotRecorded() {
        new TemplateRegistry(tasker.database().dataSource()).register(TemplateLoader.parse("""
                namespace: operator_sleep
                name: sleepy
                version: 1.0.0
                steps:
                  - name: sleep
                    handler: {callable: %s}
                    timeout_seconds: 300
                """.formatted(SleepHandlers.SLEEP), "test").orThrow(), "test");
        WorkerSystemHandle worker = WorkerBootstrap.bootstrap(WorkerConfig.builder().namespaces("operator_sleep")
                        .lease(Duration.ofSeconds(3)).build(), tasker.node().database(),
                new StepHandlerRegistry().loadServiceProviders(OperatorApiTest.class.getClassLoader()));
        try {
            String id = tasks.create("operator_sleep", "sleepy", "{\"seconds\": 120}");
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.inFlightSteps() == 1);

            assertThat(http.delete("/v1/tasks/" + id).status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(30)).until(() -> worker.inFlightSteps() == 0);
            assertThat(worker.eventSystem().counters().withdrawn()).isOne();
            JsonNode task = http.get("/v1/tasks/" + id).json();
            assertThat(task.get("state").asText()).isEqualTo("cancelled");
            assertThat(Tasks.step(task, "sleep").get("state").asText()).isEqualTo("cancelled");
            assertThat(Tasks.step(task, "sleep").get("results").isNull()).isTrue();
        } finally {
            worker.stop();
        }
    }

    @Test
    void tasksAreFoundByFiltersAndPagedWithACursor() {
        JsonNode failed = failedOrder("ORD-LIST");
        String id = failed.get("task_uuid").asText();

        JsonNode errors = http.get("/v1/tasks?namespace=examples&name=order_fulfillment&state=error,cancelled&q="
                + id.substring(0, 13)).json().get("tasks");
        assertThat(errors).singleElement().satisfies(item -> {
            assertThat(item.get("task_uuid").asText()).isEqualTo(id);
            assertThat(item.has("context")).isFalse();
            assertThat(item.has("steps")).isFalse();
            assertThat(item.at("/last_error/step_name").asText()).isEqualTo("process_payment");
            assertThat(item.at("/last_error/message").asText()).contains("payment gateway unavailable");
            assertThat(item.at("/step_counts/complete").asInt()).isEqualTo(2);
            assertThat(item.at("/step_counts/error").asInt()).isOne();
            assertThat(item.get("duration_ms").asLong()).isNotNegative();
        });

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/v1/tasks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("tasks").forEach(t -> seen.add(t.get("task_uuid").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        List<String> all = new ArrayList<>();
        http.get("/v1/tasks?limit=500").json().get("tasks").forEach(t -> all.add(t.get("task_uuid").asText()));
        assertThat(seen).isEqualTo(all).doesNotHaveDuplicates();

        Http.Response unknown = http.get("/v1/tasks?namespace=examples&offset=1&stat=error");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).startsWith("unknown query parameters offset, stat; "
                + "GET /v1/tasks takes correlation_id, created_from, created_to, cursor, initiator, limit, name, "
                + "namespace, q, state");
        assertThat(http.get("/v1/tasks?cursor=nonsense").status()).isEqualTo(400);
        assertThat(http.get("/v1/tasks?created_from=yesterday").status()).isEqualTo(400);
        assertThat(http.get("/v1/tasks?created_from=2000-01-01T00:00:00Z&created_to=2000-01-02T00:00:00Z").json()
                .get("tasks")).isEmpty();

        JsonNode failedSteps = http.get("/v1/steps?namespace=examples&state=error").json().get("steps");
        assertThat(failedSteps).anySatisfy(step -> {
            assertThat(step.get("task_uuid").asText()).isEqualTo(id);
            assertThat(step.get("name").asText()).isEqualTo("process_payment");
            assertThat(step.get("task_name").asText()).isEqualTo("order_fulfillment");
        });
        assertThat(failedSteps).allSatisfy(step -> assertThat(step.get("state").asText()).isEqualTo("error"));
    }

    @Test
    void aDeadLetterIsListedReadAndResolvedOnce() {
        new TemplateRegistry(tasker.database().dataSource()).register(TemplateLoader.parse("""
                namespace: nobody_serves
                name: stuck
                version: 1.0.0
                steps:
                  - name: wait
                    handler: {callable: nobody.Runs}
                """, "test").orThrow(), "test");
        String id = tasks.create("nobody_serves", "stuck", "{}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                new StaleTaskSweeper(tasker.database().dataSource(), Duration.ZERO, 10).sweep() > 0
                        || http.get("/v1/dlq").json().get("entries").size() > 0);

        JsonNode entry = http.get("/v1/dlq").json().get("entries").get(0);
        assertThat(entry.get("task_uuid").asText()).isEqualTo(id);
        assertThat(entry.get("task_state").asText()).isEqualTo("in_progress");
        assertThat(entry.get("reason").asText()).startsWith("no progress for");
        String entryId = entry.get("id").asText();
        assertThat(http.get("/v1/dlq/" + entryId).json().get("task_uuid").asText()).isEqualTo(id);
        assertThat(http.get("/v1/dlq/stats").json().get("open").asInt()).isOne();

        Http.Response resolved = http.post("/v1/dlq/" + entryId + "/resolve", "{\"resolution\": \"looked at it\"}");

        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        assertThat(resolved.json().get("resolved_by").asText()).isEqualTo("anonymous");
        assertThat(resolved.json().get("resolution").asText()).isEqualTo("looked at it");
        assertThat(http.post("/v1/dlq/" + entryId + "/resolve", "{\"resolution\": \"again\"}").status())
                .isEqualTo(409);
        assertThat(http.get("/v1/dlq").json().get("entries")).isEmpty();
        assertThat(http.get("/v1/dlq?resolved=true").json().get("entries")).hasSize(1);
        assertThat(http.get("/v1/dlq?resolved=maybe").status()).isEqualTo(400);
        assertThat(http.get("/v1/dlq/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(http.post("/v1/dlq/" + entryId + "/resolve", "{}").status()).isEqualTo(400);
    }

    @Test
    void aTemplateIsReadByNamespaceAndNameWithItsSteps() {
        JsonNode template = http.get("/v1/templates/examples/order_fulfillment").json();

        assertThat(template.get("name").asText()).isEqualTo("order_fulfillment");
        assertThat(template.get("steps")).extracting(s -> s.get("name").asText())
                .containsExactly("validate_order", "reserve_inventory", "process_payment", "ship_order");
        assertThat(http.get("/v1/templates/examples/order_fulfillment?version=1.0.0").status()).isEqualTo(200);
        assertThat(http.get("/v1/templates/examples/order_fulfillment?version=9.9.9").status()).isEqualTo(404);
        assertThat(http.get("/v1/templates/examples/order_fulfillment?version=x").status()).isEqualTo(400);
        assertThat(http.get("/v1/templates/examples/nothing").status()).isEqualTo(404);
    }
}
