package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.template.RetryPolicy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a handler needs to run one step: the task's context, the step's definition and
 * handler initialization, the results of all its ancestor steps by step name, and which attempt
 * this is (1 on the first run).
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
        int maxAttempts) {

    public TaskSequenceStep {
        dependencyResults = Map.copyOf(dependencyResults);
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
