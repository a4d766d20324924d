package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.uuid;
import static io.tasker.client.ClientJson.value;

/**
 * A task that stopped moving, as the stale-task sweeper recorded it, with its task as it is now.
 *
 * @param name       the task's template name
 * @param resolvedAt null while the entry is open
 * @param lastError  the task's most recently failed step, or null
 * @param json       the document as the server sent it
 */
public record DeadLetter(UUID id, UUID taskUuid, String namespace, String name, String reason, Instant createdAt,
                         Instant resolvedAt, String resolvedBy, String resolution, String taskState,
                         FailedStep lastError, JsonNode json) {

    public boolean isResolved() {
        return resolvedAt != null;
    }

    static DeadLetter from(JsonNode json) {
        return new DeadLetter(uuid(json, "id"), uuid(json, "task_uuid"), text(json, "namespace"), text(json, "name"),
                text(json, "reason"), instant(json, "created_at"), instant(json, "resolved_at"),
                text(json, "resolved_by"), text(json, "resolution"), text(json, "task_state"),
                FailedStep.from(value(json, "last_error")), json);
    }
}
