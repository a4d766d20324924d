package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.TaskerException;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.DeadLetters;
import io.tasker.orchestration.OperatorActions;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.UnservedSteps;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST API's contract: statuses, bodies and error messages, over real HTTP. */
class ApiServerTest {
    /**
     * The start of a request for the linear example. The examples identify a task by template and
     * context, so each test uses its own number: the same request twice is one task.
     */
    private static String linear(int evenNumber) {
        return "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": "
                + evenNumber + "}";
    }

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

    @Test
    void creatingATaskAnswers201WithTheTaskItsStepsAndWhereToFindIt() {
        Http.Response created = http.post("/v1/tasks", linear(4) + ", \"idempotency_key\": \"create-201\", "
                + "\"initiator\": \"api-test\", \"tags\": [\"a\", \"b\"], \"priority\": 3}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode task = created.json();
        String id = task.get("task_uuid").asText();
        assertThat(created.header("Location")).isEqualTo("/v1/tasks/" + id);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(task.get("namespace").asText()).isEqualTo("examples");
        assertThat(task.get("name").asText()).isEqualTo("linear_workflow");
        assertThat(task.get("version").asText()).isEqualTo("1.0.0");
        assertThat(task.get("initiator").asText()).isEqualTo("api-test");
        assertThat(task.get("priority").asInt()).isEqualTo(3);
        assertThat(task.get("context").get("even_number").asInt()).isEqualTo(4);
        assertThat(task.get("steps")).extracting(step -> step.get("name").asText())
                .containsExactly("step_a", "step_b", "step_c", "step_d");
        JsonNode stepB = Tasks.step(task, "step_b");
        assertThat(stepB.get("depends_on")).extracting(JsonNode::asText).containsExactly("step_a");
        assertThat(stepB.fieldNames()).toIterable().contains("step_uuid", "state", "attempts", "max_attempts",
                "results", "last_error", "next_attempt_at", "created_at", "updated_at", "completed_at");

        assertThat(tasks.awaitFinished(id).json().get("state").asText()).isEqualTo("complete");
    }

    @Test
    void aDuplicateIsRefusedWith409NamingTheExistingTask() {
        String body = linear(10) + "}";
        String first = http.post("/v1/tasks", body).json().get("task_uuid").asText();

        Http.Response again = http.post("/v1/tasks", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("existing_task_uuid").asText()).isEqualTo(first);
        assertThat(again.json().get("error").asText()).contains(first);
    }

    @Test
    void anInvalidContextIsRefusedWith400NamingTheField() {
        Http.Response refused = http.post("/v1/tasks",
                "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": \"six\"}}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isNotBlank();
        assertThat(refused.json().get("details")).anySatisfy(detail ->
                assertThat(detail.get("field").asText()).contains("even_number"));
    }

    @Test
    void valuesTheDatabaseCannotStoreAreA400NamingTheFieldNotServerTrouble() {
        Http.Response nul = http.post("/v1/tasks", "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", "
                + "\"context\": {\"even_number\": 6, \"note\": \"a\\u0000b\"}, \"reason\": \"x\\u0000\"}");
        Http.Response huge = http.post("/v1/tasks", "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", "
                + "\"context\": {\"even_number\": 6, \"x\": 1E+2147483647}}");

        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().get("details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("context.note", "reason");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().get("details")).singleElement().satisfies(d -> {
            assertThat(d.get("field").asText()).isEqualTo("context.x");
            assertThat(d.get("message").asText()).contains("digits before the decimal point");
        });
    }

    @Test
    void aTaskWithNumbersOfThousandsOfDigitsIsCreatedAndReadBackExactly() {
        String digits = "7".repeat(5_000);
        Http.Response created = http.post("/v1/tasks", "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", "
                + "\"context\": {\"even_number\": 6, \"big\": " + digits + ", \"precise\": 0." + digits + "}}");
        assertThat(created.status()).isEqualTo(201);

        Http.Response read = http.get(created.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("context").get("big").bigIntegerValue().toString()).isEqualTo(digits);
        assertThat(read.json().get("context").get("precise").decimalValue().toPlainString()).isEqualTo("0." + digits);
    }

    @Test
    void anUnknownTemplateIsA404() {
        Http.Response missing = http.post("/v1/tasks", "{\"namespace\": \"examples\", \"name\": \"no_such_flow\", "
                + "\"context\": {}}");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).contains("no_such_flow");
    }

    @Test
    void malformedJsonIsA400SayingWhere() {
        Http.Response refused = http.post("/v1/tasks", "{\"namespace\": \"examples\",");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).startsWith("the request body is not valid JSON").contains("line 1");
    }

    @Test
    void everyProblemWithTheRequestIsReportedAtOnce() {
        Http.Response refused = http.post("/v1/tasks", "{\"name\": 5, \"contxt\": {}, \"tags\": \"x\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("details")).extracting(d -> d.get("field").asText() + ": " + d.get("message").asText())
                .containsExactlyInAnyOrder(
                        "contxt: unknown field; the fields are context, correlation_id, idempotency_key, initiator, "
                                + "name, namespace, priority, reason, source_system, tags, version",
                        "namespace: is required",
                        "name: must be a string, got a number (5)",
                        "tags: must be an array of strings, got a string (\"x\")");
    }

    @Test
    void readingTasksAnswers404ForAnUnknownIdAnd400ForAMalformedOne() {
        Http.Response unknown = http.get("/v1/tasks/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).startsWith("no task ");

        Http.Response malformed = http.get("/v1/tasks/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("must be a UUID").contains("not-a-uuid");

        assertThat(http.get("/v1/tasks/" + UUID.randomUUID() + "/transitions").status()).isEqualTo(404);
    }

    @Test
    void listsRecentTasksNewestFirstAndFiltersByState() {
        String older = tasks.create("linear_workflow", "{\"even_number\": 12}");
        String newer = tasks.create("linear_workflow", "{\"even_number\": 14}");
        tasks.awaitFinished(older);
        tasks.awaitFinished(newer);

        JsonNode listed = http.get("/v1/tasks?state=complete&limit=500").json().get("tasks");

        assertThat(listed).extracting(task -> task.get("task_uuid").asText()).containsSubsequence(newer, older);
        assertThat(listed).allSatisfy(task -> assertThat(task.get("state").asText()).isEqualTo("complete"));
        assertThat(http.get("/v1/tasks?limit=1").json().get("tasks")).hasSize(1);
        assertThat(http.get("/v1/tasks?state=finished").json().get("error").asText())
                .isEqualTo("state must be one or more of pending, in_progress, complete, error, cancelled, "
                        + "resolved_manually separated by commas, got 'finished'");
        assertThat(http.get("/v1/tasks?limit=0").status()).isEqualTo(400);
    }

    @Test
    void aTasksHistoryShowsItsTransitions() {
        String id = tasks.create("linear_workflow", "{\"even_number\": 16}");
        tasks.awaitFinished(id);

        Http.Response history = http.get("/v1/tasks/" + id + "/transitions");

        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("task_uuid").asText()).isEqualTo(id);
        assertThat(history.json().get("transitions")).anySatisfy(t ->
                assertThat(t.get("to_state").asText()).isEqualTo("complete"));
    }

    @Test
    void listsTheRegisteredTemplates() {
        JsonNode templates = http.get("/v1/templates").json().get("templates");

        assertThat(templates).extracting(t -> t.get("namespace").asText() + "/" + t.get("name").asText())
                .contains("examples/linear_workflow", "examples/order_fulfillment");
        assertThat(templates.get(0).fieldNames()).toIterable().contains("version", "steps", "registered_at");
    }

    @Test
    void healthIsOkWhileTheDatabaseAnswers() {
        Http.Response health = http.get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void anUnknownPathIsAJson404ListingTheEndpoints() {
        Http.Response missing = http.get("/v2/nothing");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).startsWith("no such endpoint: GET /v2/nothing")
                .contains("POST /v1/tasks");
    }

    @Test
    void aMethodAnEndpointDoesNotTakeIsAJson405() {
        Http.Response refused = http.post("/health", "{}");

        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.json().get("error").asText()).startsWith("POST is not allowed on /health; the endpoints are ");
    }

    @Test
    void aBusyPortIsAClearError() {
        assertThatThrownBy(() -> ApiServer.start("127.0.0.1", tasker.port(), ApiServices.on(tasker.database().dataSource())))
                .isInstanceOf(TaskerException.class)
                .hasMessageContaining("127.0.0.1:" + tasker.port())
                .hasMessageContaining("--port");
    }

    @Test
    void withoutADatabaseHealthIs503AndRequestsSayTheDatabaseIsUnavailable() {
        try (TestDatabase down = TestDatabases.primary().createDatabase()) {
            down.database().close();
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, ApiServices.on(down.dataSource()))) {
                Http api = new Http(server.url());

                Http.Response health = api.get("/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().get("status").asText()).isEqualTo("unavailable");

                Http.Response list = api.get("/v1/tasks");
                assertThat(list.status()).isEqualTo(503);
                assertThat(list.body()).isEqualTo("{\"error\":\"the database is not available; try again shortly\"}");
            }
        }
    }

    @Test
    void anUnexpectedFailureIsA500ThatKeepsItsDetailsInTheServerLog() {
        DataSource broken = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("secret internals");
                });
        TemplateRegistry templates = new TemplateRegistry(broken);
        ApiServices services = new ApiServices(new TaskCreator(broken, templates), new TaskQueries(broken),
                new OperatorActions(broken), new DeadLetters(broken), templates, new UnservedSteps(broken), broken);
        try (ApiServer server = ApiServer.start("127.0.0.1", 0, services)) {
            Http.Response failed = new Http(server.url()).get("/v1/tasks");

            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.json().get("error").asText()).matches("internal error [0-9a-f]{8}: the server could "
                    + "not handle this request; its log has the details under that id").doesNotContain("secret");
        }
    }
}
