package io.tasker.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.examples.StepContexts;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;
import io.tasker.worker.handler.StepContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderHandlersTest {
    private static final String ORDER = "{\"order_id\": \"ORD-1\", \"payment_failures\": 2}";

    @Test
    void anInvalidOrderFailsPermanentlyWithAClearMessage() {
        var context = StepContexts.of("validate_order", List.of(), "{\"order_id\": \"ORD-1\", \"invalid\": true}", Map.of());

        assertThatThrownBy(() -> new ValidateOrder().call(context))
                .isInstanceOf(PermanentException.class)
                .hasMessage("order ORD-1 is invalid: rejected by validation");
    }

    @Test
    void paymentFailsRetryablyForTheGivenNumberOfAttemptsThenSucceeds() {
        Map<String, JsonNode> validated = Map.of("validate_order", Json.parse("{\"order_id\": \"ORD-1\"}"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            var context = StepContexts.of("process_payment", List.of("validate_order"), ORDER, validated, attempt);
            assertThatThrownBy(() -> new ProcessPayment().call(context))
                    .isInstanceOfSatisfying(RetryableException.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ZERO))
                    .hasMessage("payment gateway unavailable (simulated failure " + attempt + " of 2)");
        }

        var third = StepContexts.of("process_payment", List.of("validate_order"), ORDER, validated, 3);
        assertThat(result(new ProcessPayment(), third).get("payment_id").asText()).isEqualTo("PAY-ORD-1");
    }

    @Test
    void shippingQuotesTheResultsOfEveryAncestor() {
        Map<String, JsonNode> ancestors = Map.of(
                "validate_order", result(new ValidateOrder(), step("validate_order", List.of(), Map.of())),
                "reserve_inventory", Json.parse("{\"reservation_id\": \"RES-ORD-1\"}"),
                "process_payment", Json.parse("{\"payment_id\": \"PAY-ORD-1\"}"));

        JsonNode shipped = result(new ShipOrder(),
                step("ship_order", List.of("reserve_inventory", "process_payment"), ancestors));

        assertThat(Json.write(shipped)).isEqualTo("{\"order_id\":\"ORD-1\",\"payment_id\":\"PAY-ORD-1\","
                + "\"reservation_id\":\"RES-ORD-1\",\"status\":\"shipped\",\"tracking_number\":\"TRK-ORD-1\"}");
    }

    @Test
    void aMissingParentResultSaysWhichStepIsMissing() {
        var context = step("ship_order", List.of("reserve_inventory", "process_payment"),
                Map.of("validate_order", Json.parse("{}")));

        assertThatThrownBy(() -> new ShipOrder().call(context))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("needs the result of step reserve_inventory");
    }

    private static StepContext step(String name, List<String> dependsOn, Map<String, JsonNode> ancestors) {
        return StepContexts.of(name, dependsOn, ORDER, ancestors);
    }

    private static JsonNode result(StepHandler handler, StepContext context) {
        try {
            StepHandlerResult result = handler.call(context);
            assertThat(result).isInstanceOf(StepHandlerResult.Success.class);
            return ((StepHandlerResult.Success) result).result();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
