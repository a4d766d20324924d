package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

/**
 * A request to run a task: which template (the newest version when {@code version} is null),
 * the task context, and who asks. Optional fields may be null.
 */
public record TaskRequest(
        String namespace,
        String name,
        String version,
        JsonNode context,
        String initiator,
        String sourceSystem,
        String reason,
        List<String> tags,
        Integer priority,
        String idempotencyKey,
        UUID correlationId) {

    public TaskRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static TaskRequest of(String namespace, String name, JsonNode context) {
        return new TaskRequest(namespace, name, null, context, null, null, null, null, null, null, null);
    }
}
