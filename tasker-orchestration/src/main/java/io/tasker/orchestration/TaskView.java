package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.state.TaskState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A task as clients see it, with its steps in template order. */
public record TaskView(
        UUID id,
        String namespace,
        String name,
        String version,
        TaskState state,
        JsonNode context,
        String initiator,
        String sourceSystem,
        String reason,
        List<String> tags,
        int priority,
        UUID correlationId,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        List<StepView> steps) {}
