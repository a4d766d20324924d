package io.tasker.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RetryPolicy;
import io.tasker.worker.TaskSequenceStep;
import io.tasker.worker.handler.StepContext;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the context a worker would hand a handler, without a worker. */
public final class StepContexts {
    private StepContexts() {}

    public static StepContext of(String stepName, List<String> dependsOn, String taskContext,
                                 Map<String, JsonNode> ancestorResults, int attempt) {
        TaskSequenceStep.StepDefinition step = new TaskSequenceStep.StepDefinition(stepName, "test.Callable",
                Json.MAPPER.createObjectNode(), dependsOn, RetryPolicy.DEFAULT, 30);
        return new StepContext(new TaskSequenceStep(UUID.randomUUID(), UUID.randomUUID(), "examples", "test_task",
                "1.0.0", Json.parse(taskContext), step, ancestorResults, attempt, 3));
    }

    public static StepContext of(String stepName, List<String> dependsOn, String taskContext,
                                 Map<String, JsonNode> ancestorResults) {
        return of(stepName, dependsOn, taskContext, ancestorResults, 1);
    }
}
