package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.state.StepState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A step as clients see it: state, attempts, result and the last error.
 *
 * @param type      standard, decision or deferred_convergence
 * @param createdBy the decision whose outcome created the step, or null for a step created with its task
 */
public record StepView(
        UUID id,
        String name,
        String handlerCallable,
        String type,
        String createdBy,
        StepState state,
        List<String> dependsOn,
        int attempts,
        int maxAttempts,
        JsonNode results,
        JsonNode lastError,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt) {}
