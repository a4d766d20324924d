package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.state.StepState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A step as clients see it: state, attempts, result and the last error. */
public record StepView(
        UUID id,
        String name,
        String handlerCallable,
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
