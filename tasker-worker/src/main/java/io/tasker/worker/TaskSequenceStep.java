package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.template.RetryPolicy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a handler needs to run one step: the task's context, the step's definition and
 * handler initialization, the results of all its ancestor steps by step name, which attempt
 * this is (1 on the first run), the step's own inputs (a JSON object: a batch worker's cursor
 * range, empty for most steps) and the last checkpoint it saved (null when none).
 */
public record TaskSequenceStep(
        UUID taskUuid,
        UUID stepUuid,
        String namespace,
        String taskName,
        String taskVersion,
        JsonNode taskContext,
        StepDefinition step,
        Map<String, JsonNode> dependencyResults,
        int attempt,
        int maxAttempts,
        JsonNode inputs,
        JsonNode checkpoint) {

    public TaskSequenceStep {
        dependencyResults = Map.copyOf(dependencyResults);
        inputs = inputs == null || inputs.isNull() ? JsonNodeFactory.instance.objectNode() : inputs;
        checkpoint = checkpoint == null || checkpoint.isNull() ? null : checkpoint;
    }

    /** A step with no inputs and no checkpoint. */
    public TaskSequenceStep(UUID taskUuid, UUID stepUuid, String namespace, String taskName, String taskVersion,
            JsonNode taskContext, StepDefinition step, Map<String, JsonNode> dependencyResults, int attempt,
            int maxAttempts) {
        this(taskUuid, stepUuid, namespace, taskName, taskVersion, taskContext, step, dependencyResults, attempt,
                maxAttempts, null, null);
    }

    /**
     * The step as its template defines it. {@code method} is the handler method the template names
     * ({@code handler.method}, tasker-core's method dispatch), or null for {@code call}.
     */
    public record StepDefinition(
            String name,
            String callable,
            ObjectNode initialization,
            List<String> dependsOn,
            RetryPolicy retry,
            int timeoutSeconds,
            String method) {

        public StepDefinition {
            dependsOn = List.copyOf(dependsOn);
        }

        public StepDefinition(String name, String callable, ObjectNode initialization, List<String> dependsOn,
                              RetryPolicy retry, int timeoutSeconds) {
            this(name, callable, initialization, dependsOn, retry, timeoutSeconds, null);
        }
    }
}
