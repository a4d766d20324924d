package io.tasker.examples.math;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.examples.StepContexts;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MathStepsTest {
    private static final BigInteger HUGE = BigInteger.TWO.pow(100);

    @Test
    void aRootSquareStepSquaresTheContextsEvenNumber() {
        var context = StepContexts.of("a", List.of(), "{\"even_number\": 6}", Map.of());

        assertThat(value(new SquareStep().call(context))).isEqualTo(36);
    }

    @Test
    void aSquareStepSquaresItsParentExactlyAndIgnoresOtherAncestors() {
        var context = StepContexts.of("c", List.of("b"), "{\"even_number\": 6}",
                Map.of("a", result(BigInteger.TEN), "b", result(HUGE)));

        StepHandlerResult result = new SquareStep().call(context);

        assertThat(value(result)).isEqualTo(HUGE.pow(2));
        assertThat(Json.write(((StepHandlerResult.Success) result).result()))
                .isEqualTo("{\"value\":" + HUGE.pow(2) + "}");
    }

    @Test
    void multiplyStepMultipliesItsParentsOnly() {
        var context = StepContexts.of("end", List.of("left", "right"), "{\"even_number\": 6}",
                Map.of("start", result(BigInteger.valueOf(36)), "left", result(HUGE), "right", result(BigInteger.valueOf(3))));

        assertThat(value(new MultiplyStep().call(context))).isEqualTo(HUGE.multiply(BigInteger.valueOf(3)));
    }

    @Test
    void aNonIntegerInputFailsPermanentlyNamingTheField() {
        var context = StepContexts.of("a", List.of(), "{\"even_number\": 2.5}", Map.of());

        assertThatThrownBy(() -> new SquareStep().call(context))
                .isInstanceOf(PermanentException.class)
                .hasMessage("context.even_number must be an integer, got 2.5");
    }

    @Test
    void squareStepRefusesSeveralParents() {
        var context = StepContexts.of("x", List.of("a", "b"), "{}",
                Map.of("a", result(BigInteger.ONE), "b", result(BigInteger.ONE)));

        assertThatThrownBy(() -> new SquareStep().call(context))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("use MultiplyStep");
    }

    private static JsonNode result(BigInteger value) {
        return Json.MAPPER.valueToTree(new Value(value));
    }

    private static BigInteger value(StepHandlerResult result) {
        assertThat(result).isInstanceOf(StepHandlerResult.Success.class);
        return ((StepHandlerResult.Success) result).result().get("value").bigIntegerValue();
    }
}
