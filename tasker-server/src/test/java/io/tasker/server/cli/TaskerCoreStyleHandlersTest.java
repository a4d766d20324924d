package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.server.Http;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static io.tasker.server.Tasks.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers and templates written for tasker-core, in both of its Ruby API generations, run by
 * {@code tasker dev --ruby-handlers} unchanged: the folder (test resource {@code tasker-core-style})
 * is laid out as tasker-core's Ruby worker lays out its specs, its templates use tasker-core's
 * format (one of them Symbol-keyed) and its handlers tasker-core's classes, results and errors.
 * {@code TASKER_ENV=test} selects the templates' {@code environments.test} overrides.
 */
class TaskerCoreStyleHandlersTest {

    @TempDir
    Path dataDir;

    @Test
    void runsEveryDagShapeAndErrorScenarioWithTheOriginalsResults(@TempDir Path somewhereElse) {
        Path folder = copyOfTheFolder(somewhereElse.resolve("my-app"));

        try (RunningCommand dev = RunningCommand.start(Map.of("TASKER_ENV", "test"), "dev", "--data-dir",
                dataDir.toString(), "--port", "0", "--ruby-handlers", folder.toString())) {
            assertThat(dev.output())
                    .contains("linear_workflow/number_chain@1.0.0, 4 steps: registered")
                    .contains("tree_workflow/number_tree@1.0.0, 8 steps: registered")
                    .contains("diamond_workflow/number_diamond@1.0.0, 4 steps: registered")
                    .contains("mixed_dag_workflow/mixed_numbers@1.0.0, 7 steps: registered")
                    .contains("order_fulfillment/ship_order@1.0.0, 4 steps: registered")
                    .contains("test_errors/error_testing@1.0.0, 3 steps: registered")
                    .contains("test_errors/flaky_recovery@1.0.0, 2 steps: registered")
                    .doesNotContain("0.9.0");
            Tasks tasks = new Tasks(new Http(dev.printed(RunningCommand.API_URL)));

            String linear = tasks.create("linear_workflow", "number_chain", "{\"number\": 4}");
            String tree = tasks.create("tree_workflow", "number_tree", "{\"number\": 4}");
            String diamond = tasks.create("diamond_workflow", "number_diamond", "{\"number\": 3}");
            String mixed = tasks.create("mixed_dag_workflow", "mixed_numbers", "{\"number\": 3}");
            String order = tasks.create("order_fulfillment", "ship_order", """
                    {"customer_info": {"id": 42, "email": "ada@example.com"},
                     "order_items": [{"sku": "A", "quantity": 2, "price": 5}, {"sku": "B", "quantity": 1, "price": 7}]}""");
            String badOrder = tasks.create("order_fulfillment", "ship_order", """
                    {"customer_info": {"email": "ada@example.com"}, "order_items": [{"sku": "A", "quantity": 1, "price": 5}]}""");
            // Outside the schema's enum: tasker-core never checked a context against its input_schema.
            String errors = tasks.create("test_errors", "error_testing", "{\"scenario_type\": \"permanent\"}");
            String flaky = tasks.create("test_errors", "flaky_recovery", "{}");

            assertLinear(tasks.awaitFinished(linear).json());
            assertTree(tasks.awaitFinished(tree).json());
            assertDiamond(tasks.awaitFinished(diamond).json());
            assertMixed(tasks.awaitFinished(mixed).json());
            assertOrder(tasks.awaitFinished(order).json());
            assertBadOrder(tasks.awaitFinished(badOrder).json());
            assertErrorScenarios(tasks.awaitFinished(errors).json());
            assertFlaky(tasks.awaitFinished(flaky).json());
            assertThat(dev.stop()).isZero();
        }
    }

    /** 2025 generation, call(task, sequence, step); the test environment's constant is 9, not 7. */
    private static void assertLinear(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(step(task, "chain_double").get("results").asInt()).isEqualTo(8);
        assertThat(step(task, "chain_add").get("results").asInt()).isEqualTo(17);
        assertThat(step(task, "chain_square").get("results"))
                .isEqualTo(json("{\"squared\":289,\"from_step\":\"chain_square\"}"));
        assertThat(step(task, "chain_halve").get("results")).isEqualTo(json("{\"final\":144,\"input\":4}"));
    }

    private static void assertTree(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(step(task, "tree_leaf_g").get("results").asInt()).isEqualTo(64);
        JsonNode top = step(task, "tree_final_convergence").get("results");
        assertThat(top.get("sum").asInt()).isEqualTo(15 + 15 + 7 + 64);
        assertThat(top.get("leaves"))
                .isEqualTo(json("{\"tree_leaf_d\":15,\"tree_leaf_e\":15,\"tree_leaf_f\":7,\"tree_leaf_g\":64}"));
        assertThat(top.get("root").asInt()).isEqualTo(4);
    }

    /** Current generation, call(context): dependency results, configuration, retry_count. */
    private static void assertDiamond(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(step(task, "diamond_start").get("results").asInt()).isEqualTo(9);
        assertThat(step(task, "diamond_branch_c").get("results").asInt()).isEqualTo(18);
        assertThat(step(task, "diamond_end").get("results"))
                .isEqualTo(json("{\"product\":180,\"branches\":{\"b\":10,\"c\":18},\"step\":\"diamond_end\",\"attempt\":0}"));
    }

    private static void assertMixed(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(step(task, "dag_validate").get("results")).isEqualTo(json("{\"total\":14,\"valid\":true}"));
        assertThat(step(task, "dag_analyze").get("results").asInt()).isEqualTo(14 * 36);
        assertThat(step(task, "dag_finalize").get("results"))
                .isEqualTo(json("{\"final\":548,\"parts\":[504,36,8]}"));
    }

    /** Symbol-keyed template; results with Symbol keys and values are stored as JSON strings. */
    private static void assertOrder(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        JsonNode validated = step(task, "validate_order").get("results");
        assertThat(validated.get("total").asInt()).isEqualTo(17);
        assertThat(validated.get("status").asText()).isEqualTo("validated");
        assertThat(step(task, "reserve_inventory").get("results").get("reserved_units").asInt()).isEqualTo(3);
        JsonNode payment = step(task, "process_payment").get("results");
        assertThat(payment.get("gateway").asText()).isEqualTo("test");
        assertThat(payment.get("units").asInt()).isEqualTo(3);
        JsonNode shipped = step(task, "ship_order").get("results");
        assertThat(shipped.get("shipped").asBoolean()).isTrue();
        assertThat(shipped.get("tracking_number").asText()).isEqualTo("TRK-" + payment.get("payment_id").asText());
    }

    /** max_attempts: 0 (tasker-core's "no retries"): one attempt, the error's message and code kept. */
    private static void assertBadOrder(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("error");
        JsonNode validate = step(task, "validate_order");
        assertThat(validate.get("attempts").asInt()).isEqualTo(1);
        JsonNode error = validate.get("last_error");
        assertThat(error.get("message").asText()).isEqualTo("Customer ID is required");
        assertThat(error.get("error_type").asText()).isEqualTo("PermanentError");
        assertThat(error.get("retryable").asBoolean()).isFalse();
        assertThat(error.at("/details/error_code").asText()).isEqualTo("MISSING_CUSTOMER_ID");
        assertThat(error.at("/details/context/field").asText()).isEqualTo("customer_info.id");
        assertThat(step(task, "reserve_inventory").get("attempts").asInt()).isZero();
    }

    private static void assertErrorScenarios(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("error");
        assertThat(step(task, "success_step").get("state").asText()).isEqualTo("complete");

        JsonNode permanent = step(task, "permanent_error_step");
        assertThat(permanent.get("attempts").asInt()).as("a permanent error is not retried").isEqualTo(1);
        JsonNode permanentError = permanent.get("last_error");
        assertThat(permanentError.get("message").asText()).isEqualTo("Invalid payment method: test_card_declined");
        assertThat(permanentError.get("error_type").asText()).isEqualTo("PermanentError");
        assertThat(permanentError.at("/details/error_code").asText()).isEqualTo("INVALID_PAYMENT_METHOD");
        assertThat(permanentError.at("/details/context/card_type").asText()).isEqualTo("test_card_declined");

        JsonNode retryable = step(task, "retryable_error_step");
        assertThat(retryable.get("attempts").asInt()).as("environments.test gives it 3 attempts").isEqualTo(3);
        JsonNode retryableError = retryable.get("last_error");
        assertThat(retryableError.get("message").asText()).isEqualTo("Payment service timeout (attempt 3)");
        assertThat(retryableError.get("error_type").asText()).isEqualTo("RetryableError");
        assertThat(retryableError.get("retryable").asBoolean()).isTrue();
        assertThat(retryableError.get("retry_after_ms").asLong()).isEqualTo(1_000);
        assertThat(retryableError.at("/details/error_code").asText()).isEqualTo("SERVICE_TIMEOUT");
        assertThat(retryableError.at("/details/context/service").asText()).isEqualTo("payment_gateway");
    }

    private static void assertFlaky(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        JsonNode flaky = step(task, "flaky_step");
        assertThat(flaky.get("attempts").asInt()).isEqualTo(2);
        assertThat(flaky.get("results")).isEqualTo(json("{\"recovered_after\":1}"));
        assertThat(step(task, "after_flaky").get("results").get("scenario").asText()).isEqualTo("after_flaky");
    }

    /** JSON as stored: jsonb keeps no key order, so results are compared as trees. */
    private static JsonNode json(String text) {
        return Json.parse(text);
    }

    /** The folder copied outside the project, as a user's own tree would be. */
    private static Path copyOfTheFolder(Path target) {
        try {
            Path source = Path.of(TaskerCoreStyleHandlersTest.class.getResource("/tasker-core-style").toURI());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
