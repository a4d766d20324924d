package io.tasker.worker.handler;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The context a handler's unit test builds: what the handler sees is what the builder was given. */
class StepContextBuilderTest {

    @Test
    void aHandlerSeesTheContextInitializationAndAncestorResultsGiven() {
        AtomicBoolean cancelled = new AtomicBoolean();
        StepContext context = StepContext.builder("ship")
                .namespace("orders")
                .taskContext(Map.of("order_id", "ORD-1"))
                .initialization(Map.of("carrier", "dhl"))
                .dependencyResult("reserve", Map.of("reserved", true))
                .attempt(2, 5)
                .cancelled(cancelled::get)
                .build();

        assertThat(context.stepName()).isEqualTo("ship");
        assertThat(context.namespace()).isEqualTo("orders");
        assertThat(context.taskContext().get("order_id").asText()).isEqualTo("ORD-1");
        assertThat(context.initialization().get("carrier").asText()).isEqualTo("dhl");
        assertThat(context.dependencyResult("reserve").get("reserved").asBoolean()).isTrue();
        assertThat(context.taskSequenceStep().step().dependsOn()).containsExactly("reserve");
        assertThat(context.attempt()).isEqualTo(2);
        assertThat(context.maxAttempts()).isEqualTo(5);
        assertThat(context.isCancelled()).isFalse();
        cancelled.set(true);
        assertThat(context.isCancelled()).isTrue();
    }

    @Test
    void byDefaultItIsAFirstAttemptWithAnEmptyContextAndNoAncestors() {
        StepContext context = StepContext.builder("first").build();

        assertThat(context.taskContext().isEmpty()).isTrue();
        assertThat(context.initialization().isEmpty()).isTrue();
        assertThat(context.dependencyResults()).isEmpty();
        assertThat(context.attempt()).isEqualTo(1);
        assertThat(context.maxAttempts()).isEqualTo(3);
        assertThat(context.isCancelled()).isFalse();
    }

    @Test
    void anInitializationThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> StepContext.builder("s").initialization(java.util.List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialization must be a JSON object");
    }
}
