package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example template run end to end, as a user runs it: created over HTTP, run by the worker
 * with the Java example handlers, followed over HTTP until finished, on a real PostgreSQL.
 */
class ExamplesEndToEndTest {
    private static RunningTasker tasker;
    private static Tasks tasks;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
        tasks = new Tasks(new Http(tasker.url()));
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @ParameterizedTest(name = "{0} ends with n^{2} in {1}")
    @CsvSource({
            "linear_workflow, step_d, 16",
            "diamond_workflow, end, 8",
            "tree_workflow, converge, 32",
            "mixed_dag_workflow, finalize, 24"})
    void theMathExamplesComputeExactPowersOfTheirInput(String template, String lastStep, int power) {
        assertRunsTo(template, lastStep, BigInteger.valueOf(6), power);
    }

    @Test
    void theLinearExampleStaysExactFarBeyondLongRange() {
        assertRunsTo("linear_workflow", "step_d", BigInteger.TWO.pow(40), 16);
    }

    @Test
    void anOrderWhosePaymentFailsTwiceCompletesOnTheThirdAttempt() {
        String id = tasks.create("order_fulfillment", "{\"order_id\": \"ORD-7\", \"payment_failures\": 2}");

        JsonNode task = tasks.awaitFinished(id).json();

        assertThat(task.get("state").asText()).isEqualTo("complete");
        JsonNode payment = Tasks.step(task, "process_payment");
        assertThat(payment.get("attempts").asInt()).isEqualTo(3);
        assertThat(payment.get("max_attempts").asInt()).isEqualTo(5);
        assertThat(payment.at("/results/payment_id").asText()).isEqualTo("PAY-ORD-7");
        JsonNode shipped = Tasks.step(task, "ship_order").get("results");
        assertThat(shipped.get("tracking_number").asText()).isEqualTo("TRK-ORD-7");
        assertThat(shipped.get("reservation_id").asText()).isEqualTo("RES-ORD-7");
        assertThat(shipped.get("payment_id").asText()).isEqualTo("PAY-ORD-7");
    }

    @Test
    void anInvalidOrderFailsTheTaskWithTheHandlersMessage() {
        String id = tasks.create("order_fulfillment", "{\"order_id\": \"ORD-1\", \"invalid\": true}");

        JsonNode task = tasks.awaitFinished(id).json();

        assertThat(task.get("state").asText()).isEqualTo("error");
        JsonNode validation = Tasks.step(task, "validate_order");
        assertThat(validation.get("state").asText()).isEqualTo("error");
        assertThat(validation.get("attempts").asInt()).isEqualTo(1);
        assertThat(validation.at("/last_error/message").asText())
                .isEqualTo("order ORD-1 is invalid: rejected by validation");
        assertThat(Tasks.step(task, "ship_order").get("state").asText()).isEqualTo("pending");
    }

    private static void assertRunsTo(String template, String lastStep, BigInteger n, int power) {
        String id = tasks.create(template, "{\"even_number\": " + n + "}");

        Http.Response finished = tasks.awaitFinished(id);

        JsonNode task = finished.json();
        assertThat(task.get("state").asText()).as(finished.body()).isEqualTo("complete");
        BigInteger expected = n.pow(power);
        assertThat(Tasks.step(task, lastStep).at("/results/value").bigIntegerValue()).isEqualTo(expected);
        assertThat(finished.body()).contains("\"value\":" + expected);
        assertThat(task.get("steps")).allSatisfy(step -> assertThat(step.get("state").asText()).isEqualTo("complete"));
    }
}
