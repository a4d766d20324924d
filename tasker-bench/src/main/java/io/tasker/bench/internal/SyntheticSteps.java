package io.tasker.bench.internal;

import io.tasker.core.Ids;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RetryPolicy;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.TaskSequenceStep;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Execution events built without a database, shaped as the worker builds them for step_b of the
 * linear example (a context, one ancestor result), for the benchmarks that time the handler layer
 * alone.
 */
public final class SyntheticSteps {
    private SyntheticSteps() {}

    /** A new event (fresh ids) for a step whose handler is {@code callable}. */
    public static StepExecutionEvent linearStepB(String callable) {
        UUID taskId = Ids.newId();
        UUID stepId = Ids.newId();
        TaskSequenceStep step = new TaskSequenceStep(taskId, stepId, "bench", "linear_workflow", "1.0.0",
                Json.MAPPER.createObjectNode().put("even_number", 6),
                new TaskSequenceStep.StepDefinition("step_b", callable, Json.MAPPER.createObjectNode(),
                        List.of("step_a"), RetryPolicy.DEFAULT, 30),
                Map.of("step_a", Json.MAPPER.createObjectNode().put("value", 36)), 1, RetryPolicy.DEFAULT.maxAttempts());
        return new StepExecutionEvent(Ids.newId(), taskId, stepId, step);
    }
}
