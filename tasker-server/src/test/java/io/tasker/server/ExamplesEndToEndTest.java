package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.node.RubyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example template run end to end, as a user runs it: created over HTTP, run by the worker
 * with the Java example handlers ({@code examples}) or by the Ruby worker with the Ruby ones
 * ({@code examples_ruby}), followed over HTTP until finished, on a real PostgreSQL. Both
 * namespaces must give exactly the same results.
 */
class ExamplesEndToEndTest {
    /** The linear example with Java and Ruby steps taking turns: both workers serve its namespace. */
    private static final String MIXED = """
            namespace: mixed
            name: linear_workflow
            version: 1.0.0
            steps:
              - name: step_a
                handler: {callable: io.tasker.examples.math.SquareStep}
              - name: step_b
                handler: {callable: Examples::Math::SquareStep}
                depends_on: [step_a]
              - name: step_c
                handler: {callable: io.tasker.examples.math.SquareStep}
                depends_on: [step_b]
              - name: step_d
                handler: {callable: Examples::Math::SquareStep}
                depends_on: [step_c]
            """;

    @TempDir
    static Path templates;

    private static RunningTasker tasker;
    private static Tasks tasks;

    @BeforeAll
    static void start() {
        AcmeRubyHandlers.writeFile(templates, "mixed.yaml", MIXED);
        tasker = RunningTasker.withRuby(new RubyHandlers(true, List.of(templates)));
        tasks = new Tasks(new Http(tasker.url()));
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @Test
    void eachWorkerServesTheNamespacesItsHandlersRun() {
        assertThat(tasker.node().workerNamespaces()).containsExactly("examples", "mixed");
        assertThat(tasker.node().rubyWorkerNamespaces()).containsExactly("examples_ruby", "mixed");
    }

    @Test
    void javaAndRubyStepsOfOneTaskRunEachInTheirOwnWorker() {
        assertRunsTo("mixed", "linear_workflow", "step_d", BigInteger.valueOf(6), 16);
    }

    @ParameterizedTest(name = "{0}/{1} ends with n^{3} in {2}")
    @CsvSource({
            "examples, linear_workflow, step_d, 16",
            "examples, diamond_workflow, end, 8",
            "examples, tree_workflow, converge, 32",
            "examples, mixed_dag_workflow, finalize, 24",
            "examples_ruby, linear_workflow, step_d, 16",
            "examples_ruby, diamond_workflow, end, 8",
            "examples_ruby, tree_workflow, converge, 32",
            "examples_ruby, mixed_dag_workflow, finalize, 24"})
    void theMathExamplesComputeExactPowersOfTheirInput(String namespace, String template, String lastStep, int power) {
        assertRunsTo(namespace, template, lastStep, BigInteger.valueOf(6), power);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void theLinearExampleStaysExactFarBeyondLongRange(String namespace) {
        assertRunsTo(namespace, "linear_workflow", "step_d", BigInteger.TWO.pow(40), 16);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void anOrderWhosePaymentFailsTwiceCompletesOnTheThirdAttempt(String namespace) {
        String id = tasks.create(namespace, "order_fulfillment", "{\"order_id\": \"ORD-7\", \"payment_failures\": 2}");

        JsonNode task = tasks.awaitFinished(id).json();

        assertThat(task.get("state").asText()).isEqualTo("complete");
        JsonNode payment = Tasks.step(task, "process_payment");
        assertThat(payment.get("attempts").asInt()).isEqualTo(3);
        assertThat(payment.get("max_attempts").asInt()).isEqualTo(5);
        assertThat(payment.at("/results/payment_id").asText()).isEqualTo("PAY-ORD-7");
        assertThat(payment.at("/results/attempts").asInt()).isEqualTo(3);
        JsonNode shipped = Tasks.step(task, "ship_order").get("results");
        assertThat(shipped.get("tracking_number").asText()).isEqualTo("TRK-ORD-7");
        assertThat(shipped.get("reservation_id").asText()).isEqualTo("RES-ORD-7");
        assertThat(shipped.get("payment_id").asText()).isEqualTo("PAY-ORD-7");
        assertThat(shipped.get("status").asText()).isEqualTo("shipped");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void anInvalidOrderFailsTheTaskWithTheHandlersMessage(String namespace) {
        String id = tasks.create(namespace, "order_fulfillment", "{\"order_id\": \"ORD-1\", \"invalid\": true}");

        JsonNode task = tasks.awaitFinished(id).json();

        assertThat(task.get("state").asText()).isEqualTo("error");
        JsonNode validation = Tasks.step(task, "validate_order");
        assertThat(validation.get("state").asText()).isEqualTo("error");
        assertThat(validation.get("attempts").asInt()).isEqualTo(1);
        assertThat(validation.at("/last_error/message").asText())
                .isEqualTo("order ORD-1 is invalid: rejected by validation");
        assertThat(Tasks.step(task, "ship_order").get("state").asText()).isEqualTo("pending");
    }

    @Test
    void theRubyExamplesGiveTheJavaExamplesResultsStepForStep() {
        String java = tasks.create("examples", "mixed_dag_workflow", "{\"even_number\": 10}");
        String ruby = tasks.create("examples_ruby", "mixed_dag_workflow", "{\"even_number\": 10}");

        JsonNode javaTask = tasks.awaitFinished(java).json();
        JsonNode rubyTask = tasks.awaitFinished(ruby).json();

        for (JsonNode step : javaTask.get("steps")) {
            String name = step.get("name").asText();
            assertThat(Tasks.step(rubyTask, name).get("results")).as(name).isEqualTo(step.get("results"));
        }
    }

    private static void assertRunsTo(String namespace, String template, String lastStep, BigInteger n, int power) {
        String id = tasks.create(namespace, template, "{\"even_number\": " + n + "}");

        Http.Response finished = tasks.awaitFinished(id);

        JsonNode task = finished.json();
        assertThat(task.get("state").asText()).as(finished.body()).isEqualTo("complete");
        BigInteger expected = n.pow(power);
        assertThat(Tasks.step(task, lastStep).at("/results/value").bigIntegerValue()).isEqualTo(expected);
        assertThat(finished.body()).contains("\"value\":" + expected);
        assertThat(task.get("steps")).allSatisfy(step -> assertThat(step.get("state").asText()).isEqualTo("complete"));
    }
}
